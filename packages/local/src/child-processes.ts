/** The emulators and Vite run as child processes: starting them until ready, and stopping them. */
import type { ChildProcess } from "node:child_process";
import { waitUntil } from "./ports.js";

/**
 * Waits until `isReady` answers true. Fails — and kills the child — when it exits first (the
 * error ends with `output()`, e.g. the tail of its log) or does not get ready in time.
 */
export async function untilReady(
  child: ChildProcess,
  what: string,
  isReady: () => Promise<boolean>,
  options: { timeoutMs?: number; output: () => string },
): Promise<void> {
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`${what} exited with code ${code}:\n${options.output()}`))),
  );
  exited.catch(() => undefined);
  try {
    await Promise.race([waitUntil(what, isReady, options.timeoutMs ?? 60_000), exited]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
export function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
