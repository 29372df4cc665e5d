/**
 * `pnpm start` runs as a chain of processes (pnpm → pnpm --filter → tsx → node start.ts). A
 * signal sent to the outer pnpm alone (a process manager, an IDE's stop button, `kill <pid>`)
 * ends that process but reaches none of the others, and the emulators would keep their ports.
 * So start.ts watches its ancestors: when any of them exits, the chain changes (the orphaned
 * process is re-parented at once, even while its dead parent is an unreaped zombie), and the
 * stack stops itself.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The parent of `pid`, or undefined when it cannot be read (the process is gone). */
function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat is "pid (comm) state ppid …"; comm may contain spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    // No /proc (macOS): ask ps.
    try {
      const out = execFileSync("ps", ["-o", "ppid=", "-p", String(pid)], { encoding: "utf8" }).trim();
      return out === "" ? undefined : Number(out);
    } catch {
      return undefined;
    }
  }
}

/** The ids of this process's ancestors, nearest first, up to (not including) init. */
export function ancestorPids(pid: number = process.pid): number[] {
  const chain: number[] = [];
  for (let current = parentOf(pid); current !== undefined && current > 1 && chain.length < 64; current = parentOf(current)) {
    chain.push(current);
  }
  return chain;
}

/**
 * Calls `onExit` once, as soon as one of this process's ancestors (as they were when the watch
 * began) has exited. Returns a function that ends the watch. The timer does not keep Node alive.
 */
export function watchAncestors(onExit: (pid: number) => void, intervalMs = 500): () => void {
  const initial = ancestorPids();
  const timer = setInterval(() => {
    const now = ancestorPids();
    const gone = initial.find((pid, index) => now[index] !== pid);
    if (gone !== undefined) {
      clearInterval(timer);
      onExit(gone);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
