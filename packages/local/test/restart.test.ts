/**
 * What `pnpm start` promises across restarts and failures: data kept in the data folder (tasks
 * in DynamoDB Local's file, users and the pool in cognito-local's), the same pool and client
 * ids, tokens still valid when the ports stay the same; a piece that cannot start is named and
 * everything already started is stopped.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Todo, TodoPage } from "@tasks/core/contract";
import { afterAll, describe, expect, it } from "vitest";
import { assertPortFree, freePort } from "../src/ports.js";
import { LocalStackStartError, startLocalStack, type LocalStack } from "../src/stack.js";
import { cognitoAt, signIn, signUpAndSignIn } from "../test-support/cognito-users.js";

const dataDir = mkdtempSync(join(tmpdir(), "tasks-restart-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const portOf = (url: string) => Number(new URL(url).port);

/** Processes (ours or not) whose working directory is `dir`: cognito-local runs in its data folder. */
function processesIn(dir: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("restarting the stack on the same data folder", () => {
  it("keeps tasks, users, pool and client, and tokens stay valid on the same ports", async () => {
    const options = { dataDir, web: false, log: () => undefined, fixedConfirmationCode: "123456", outputsFile: join(dataDir, "outputs.json") };
    let first: LocalStack | undefined = await startLocalStack(options);
    let user: Awaited<ReturnType<typeof signUpAndSignIn>>;
    let created: Todo;
    const ids = { userPoolId: first.userPoolId, userPoolClientId: first.userPoolClientId };
    const ports = { api: portOf(first.apiUrl), cognito: portOf(first.cognitoEndpoint) };
    try {
      user = await signUpAndSignIn(first, "restart@example.com");
      expect(first.latestConfirmationCode("restart@example.com")).toBe("123456");
      const response = await fetch(`${first.apiUrl}/todos`, {
        method: "POST",
        headers: { authorization: `Bearer ${user.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ title: "survives a restart" }),
      });
      expect(response.status).toBe(201);
      created = Todo.parse(await response.json());
    } finally {
      await first.stop();
      first = undefined;
    }
    // Stopped means stopped: the ports are free and no cognito-local is left in the folder.
    await assertPortFree(ports.api, "api");
    await assertPortFree(ports.cognito, "cognito");
    expect(processesIn(join(dataDir, "cognito"))).toEqual([]);

    const second = await startLocalStack({ ...options, ports });
    try {
      expect({ userPoolId: second.userPoolId, userPoolClientId: second.userPoolClientId }).toEqual(ids);
      const list = await fetch(`${second.apiUrl}/todos`, { headers: { authorization: `Bearer ${user.accessToken}` } });
      expect(list.status).toBe(200);
      expect(TodoPage.parse(await list.json()).items).toEqual([created]);
      // The user is still there and can sign in again.
      const cognito = cognitoAt(second.cognitoEndpoint);
      await expect(signIn(cognito, second.userPoolClientId, "restart@example.com")).resolves.toHaveProperty("accessToken");
      cognito.destroy();
    } finally {
      await second.stop();
    }
  });
});

describe("a piece that cannot start", () => {
  it("names the busy port and starts nothing", async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const failure = await startLocalStack({ web: false, log: () => undefined, ports: { api: port } }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(LocalStackStartError);
      expect(failure).toMatchObject({ piece: "API gateway" });
      expect((failure as Error).message).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it("says Java is missing, and stops cognito-local that had started meanwhile", async () => {
    const javaHome = process.env.JAVA_HOME;
    process.env.JAVA_HOME = "/nonexistent-java";
    const dir = mkdtempSync(join(tmpdir(), "tasks-nojava-"));
    try {
      const failure = await startLocalStack({ dataDir: dir, web: false, log: () => undefined }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ piece: "DynamoDB Local" });
      expect((failure as Error).message).toMatch(/needs Java 17 or newer/);
      // cognito-local (started side by side) has exited, or is exiting after SIGTERM.
      await expect.poll(() => processesIn(join(dir, "cognito")), { timeout: 10_000 }).toEqual([]);
    } finally {
      if (javaHome === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = javaHome;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
