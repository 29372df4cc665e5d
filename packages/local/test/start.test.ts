/**
 * `pnpm start` as a person runs it: the real pnpm scripts, the real emulators, on free ports and a
 * throwaway data folder. How it ends matters as much as how it starts: Ctrl-C is a clean exit, and
 * a signal to the outer pnpm alone leaves no process behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, LOOPBACK, waitUntil } from "../src/ports.js";
import { REPO_ROOT } from "../src/stack.js";

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  apiPort: number;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Every process of the group (pnpm and all it started) has exited. */
function groupIsGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, LOOPBACK);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function startPnpmStart(): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), "tasks-start-"));
  const apiPort = await freePort();
  const env = {
    ...process.env,
    TASKS_DATA_DIR: dataDir,
    TASKS_DYNAMODB_PORT: String(await freePort()),
    TASKS_COGNITO_PORT: String(await freePort()),
    TASKS_API_PORT: String(apiPort),
    TASKS_WS_PORT: String(await freePort()),
  };
  // Its own process group, as a terminal gives a foreground job: Ctrl-C signals the whole group.
  const child = spawn("pnpm", ["start", "--no-web"], { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(() => {
    if (!groupIsGone(child.pid!)) process.kill(-child.pid!, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });
  await waitUntil("pnpm start", async () => output.includes("Tasks is running offline") || child.exitCode !== null, 90_000);
  expect(output).toContain("Tasks is running offline");
  return { child, output: () => output, exited, apiPort };
}

describe("pnpm start", () => {
  it("stops everything on Ctrl-C and exits 0 with a short line, not a pnpm failure", async () => {
    const started = await startPnpmStart();
    expect(await accepts(started.apiPort)).toBe(true);

    process.kill(-started.child.pid!, "SIGINT");
    const { code } = await started.exited;
    await waitUntil("the process group to exit", async () => groupIsGone(started.child.pid!), 20_000);

    expect(code).toBe(0);
    expect(started.output()).toMatch(/Stopped\.\s*$/);
    expect(started.output()).not.toMatch(/ELIFECYCLE|ERR_PNPM|Command failed/);
    expect(await accepts(started.apiPort)).toBe(false);
  });

  it("stops every child when only the outer pnpm process is killed", async () => {
    const started = await startPnpmStart();

    // SIGKILL cannot be caught or forwarded: nothing but the children's own watch can react.
    process.kill(started.child.pid!, "SIGKILL");
    await waitUntil("every process of pnpm start to exit", async () => groupIsGone(started.child.pid!), 20_000);

    expect(started.output()).toContain("exited: stopping the offline stack");
    expect(await accepts(started.apiPort)).toBe(false);
  });
});
