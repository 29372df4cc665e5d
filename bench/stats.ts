/** Small statistics for side-by-side measurements. */
import { inPool } from "../packages/local/test-support/pool.js";

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: number[]) => percentile(samples, 50);

export interface PairedSamples {
  subject: number[];
  floor: number[];
  /** Wall time of each subject call as the client saw it, when the subject reports its own duration. */
  subjectWall: number[];
}

/**
 * Runs `subject` and `floor` alternately, in rounds, so that the noise of a shared machine lands
 * on both alike; the order within each round alternates too. Returns each side's latencies (ms):
 * the wall time of each call, or the duration a call reports itself by returning a number (the
 * server-side time a server states in its answer).
 */
export async function interleaved(
  subject: () => Promise<unknown>,
  floor: () => Promise<unknown>,
  options: { rounds: number; perRound: number; warmup?: number },
): Promise<PairedSamples> {
  for (let i = 0; i < (options.warmup ?? 20); i++) {
    await subject();
    await floor();
  }
  const result: PairedSamples = { subject: [], floor: [], subjectWall: [] };
  const time = async (fn: () => Promise<unknown>, into: number[], wall?: number[]) => {
    const start = performance.now();
    const reported = await fn();
    const elapsed = performance.now() - start;
    into.push(typeof reported === "number" ? reported : elapsed);
    wall?.push(elapsed);
  };
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < options.perRound; i++) {
      if ((round + i) % 2 === 0) {
        await time(subject, result.subject, result.subjectWall);
        await time(floor, result.floor);
      } else {
        await time(floor, result.floor);
        await time(subject, result.subject, result.subjectWall);
      }
    }
  }
  return result;
}

/** Completed operations per second with `concurrency` workers sharing `total` operations. */
export async function throughput(
  operation: (index: number) => Promise<unknown>,
  options: { total: number; concurrency: number },
): Promise<{ perSecond: number; errors: number }> {
  let errors = 0;
  const start = performance.now();
  await inPool(options.total, options.concurrency, (index) => operation(index).catch(() => errors++));
  return { perSecond: (options.total / (performance.now() - start)) * 1000, errors };
}
