/**
 * The SPA's Vite dev server (packages/web), as a child process of the stack so that it is stopped
 * with it, configured through the VITE_* variables the SPA reads (packages/web/src/config.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
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
}

export interface ViteDevServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function viteBin(webDir: string): string {
  const require = createRequire(join(webDir, "package.json"));
  const packageJson = require.resolve("vite/package.json");
  const manifest = JSON.parse(readFileSync(packageJson, "utf8")) as { bin: Record<string, string> };
  return join(dirname(packageJson), manifest.bin.vite ?? "bin/vite.js");
}

export async function startViteDevServer(options: ViteDevServerOptions): Promise<ViteDevServer> {
  const child = spawn(
    process.execPath,
    [viteBin(options.webDir), "--host", LOOPBACK, "--port", String(options.port), "--strictPort", "--clearScreen", "false"],
    { cwd: options.webDir, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : undefined;
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
