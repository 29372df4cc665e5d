/**
 * The SPA (packages/web) for the offline stack, as a child process of the stack so that it is
 * stopped with it, configured through the VITE_* variables the SPA reads (packages/web/src/config.ts).
 *
 * It serves the built app (`vite build`, then `vite preview`), as users get it: the service worker
 * and its precache exist only in a build, and they are what lets the app open with no network
 * (README, "Offline"). To keep `pnpm start` fast, a build is kept under a hash of everything that
 * goes into it (the SPA's sources, core's contract, the lockfile, the VITE_* values) and reused
 * while that hash is unchanged: the first start builds (about 15 s), later ones start at once.
 * `TASKS_WEB_DEV=1` serves the Vite dev server instead (hot reload, no service worker).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, type WriteStream } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { stopProcess, untilReady } from "./child-processes.js";
import { LOOPBACK } from "./ports.js";

export interface ViteDevServerOptions {
  /** The packages/web folder. */
  webDir: string;
  port: number;
  env: Record<string, string>;
  /** File that receives Vite's console output. */
  logFile?: string;
  /** Lines Vite writes to stderr (errors), for the console. */
  onError?: (line: string) => void;
  /** "build" (default; `TASKS_WEB_DEV=1` makes it "dev"): the built app with its service worker. */
  mode?: "build" | "dev";
}

export interface ViteDevServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Builds kept besides the newest (other VITE_* values: the tests' stacks, a reset). */
const BUILDS_KEPT = 4;

function viteBin(webDir: string): string {
  const require = createRequire(join(webDir, "package.json"));
  const packageJson = require.resolve("vite/package.json");
  const manifest = JSON.parse(readFileSync(packageJson, "utf8")) as { bin: Record<string, string> };
  return join(dirname(packageJson), manifest.bin.vite ?? "bin/vite.js");
}

/** Every file under `dir`, skipping what is not an input of the build. */
function inputFiles(dir: string): string[] {
  const skip = new Set(["node_modules", "dist", "test-artifacts", "e2e", "scripts"]);
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name) || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...inputFiles(path));
    else if (!/\.test\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files.sort();
}

/** A hash of what the build is made of: the same inputs give the same app. */
export function buildHash(webDir: string, env: Record<string, string>): string {
  const repo = join(webDir, "../..");
  const hash = createHash("sha256");
  const files = [...inputFiles(webDir), ...inputFiles(join(repo, "packages/core/src")), join(repo, "pnpm-lock.yaml")];
  for (const file of files) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    hash.update(relative(repo, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  for (const key of Object.keys(env).sort()) hash.update(`${key}=${env[key]}\n`);
  return hash.digest("hex").slice(0, 16);
}

function run(command: string[], options: { cwd: string; env: Record<string, string>; log?: WriteStream; onError?: (line: string) => void }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const collect = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4_000);
      options.log?.write(chunk);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code}):\n${tail}`))));
  });
}

/** The built app for these inputs: reused when it exists, else built (into a fresh folder, then moved in place). */
async function ensureBuild(options: ViteDevServerOptions, log: WriteStream | undefined): Promise<string> {
  const cache = join(options.webDir, "node_modules/.cache/tasks-web");
  const outDir = join(cache, buildHash(options.webDir, options.env));
  if (existsSync(join(outDir, "index.html"))) return outDir;
  mkdirSync(cache, { recursive: true });
  const building = `${outDir}.${process.pid}.${Date.now()}`;
  await run([viteBin(options.webDir), "build", "--outDir", building, "--emptyOutDir", "--logLevel", "warn"], { cwd: options.webDir, env: options.env, ...(log ? { log } : {}) });
  try {
    renameSync(building, outDir);
  } catch {
    // Another stack built the same inputs meanwhile: theirs is as good.
    rmSync(building, { recursive: true, force: true });
  }
  pruneBuilds(cache, outDir);
  return outDir;
}

function pruneBuilds(cache: string, keep: string): void {
  const builds = readdirSync(cache)
    .map((name) => join(cache, name))
    .filter((path) => path !== keep && /[0-9a-f]{16}$/.test(path))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of builds.slice(BUILDS_KEPT)) rmSync(old, { recursive: true, force: true });
}

export async function startViteDevServer(options: ViteDevServerOptions): Promise<ViteDevServer> {
  const mode = options.mode ?? (process.env.TASKS_WEB_DEV === "1" ? "dev" : "build");
  const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : undefined;
  const serve = ["--host", LOOPBACK, "--port", String(options.port), "--strictPort"];
  let args: string[];
  try {
    args = mode === "dev" ? [...serve, "--clearScreen", "false"] : ["preview", "--outDir", await ensureBuild(options, log), ...serve];
  } catch (error) {
    log?.end();
    throw error;
  }
  const child = spawn(process.execPath, [viteBin(options.webDir), ...args], {
    cwd: options.webDir,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  const collect = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000);
    log?.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", (chunk: Buffer) => {
    collect(chunk);
    for (const line of chunk.toString().split("\n")) if (line.trim()) options.onError?.(line);
  });
  child.once("exit", () => log?.end());
  const url = `http://${LOOPBACK}:${options.port}`;
  await untilReady(child, "Vite", async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok, {
    timeoutMs: 90_000,
    output: () => tail,
  });
  return { url, process: child, stop: () => stopProcess(child) };
}
