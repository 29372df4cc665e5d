/**
 * The API against its floor, side by side on the same DynamoDB Local: each request through the
 * local gateway (JWT check, event building) and the handler, versus the bare DynamoDB call that
 * handler makes. The client runs in a worker thread (measures/api-client.ts).
 */
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { Report } from "../report.js";
import { median, percentile, type PairedSamples } from "../stats.js";
import type { ClientSettings, ClientTask } from "./api-client.js";

function startClient(settings: ClientSettings) {
  const worker = new Worker(new URL("./ts-worker.mjs", import.meta.url), {
    workerData: { ...settings, module: new URL("./api-client.ts", import.meta.url).href },
  });
  return {
    async run<T>(task: ClientTask): Promise<T> {
      worker.postMessage(task);
      const [reply] = (await once(worker, "message")) as [{ ok: boolean; result?: T; error?: string }];
      if (!reply.ok) throw new Error(reply.error);
      return reply.result as T;
    },
    async close() {
      worker.postMessage("close");
      await once(worker, "exit");
    },
  };
}

/**
 * The budgeted figure is the API's latency as API Gateway defines its `Latency` metric — from
 * receiving the request to answering it, stated by the gateway in Server-Timing — against the
 * bare DynamoDB call as its client sees it. What the measuring client adds on top (its HTTP
 * request and the loopback hop) is reported beside it, without a budget.
 */
function addLatency(report: Report, name: string, samples: PairedSamples) {
  const p50 = [median(samples.subject), median(samples.floor)] as const;
  const p99 = [percentile(samples.subject, 99), percentile(samples.floor, 99)] as const;
  report.add(`${name} / bare DynamoDB (p50)`, p50[0] / p50[1], "ratio", 1.3, "lower", `${p50[0].toFixed(2)} ms vs ${p50[1].toFixed(2)} ms`);
  report.add(`${name} / bare DynamoDB (p99)`, p99[0] / p99[1], "ratio", 1.5, "lower", `${p99[0].toFixed(2)} ms vs ${p99[1].toFixed(2)} ms`);
  const wall = median(samples.subjectWall);
  report.add(`${name} seen by the client / bare DynamoDB (p50)`, wall / p50[1], "ratio", null, "lower", `${wall.toFixed(2)} ms incl. the client's HTTP request`);
}

export async function measureApi(report: Report, settings: Omit<ClientSettings, "listSize">) {
  const client = startClient({ ...settings, listSize: 50 });
  try {
    await client.run({ kind: "seed" });
    addLatency(report, "GET /todos (50 items)", await client.run<PairedSamples>({ kind: "latency", operation: "list", rounds: 10, perRound: 40 }));
    addLatency(report, "POST /todos", await client.run<PairedSamples>({ kind: "latency", operation: "create", rounds: 10, perRound: 40 }));

    const rates = { api: [] as number[], floor: [] as number[] };
    let errors = 0;
    for (let round = 0; round < 3; round++) {
      for (const side of round % 2 === 0 ? (["api", "floor"] as const) : (["floor", "api"] as const)) {
        const result = await client.run<{ perSecond: number; errors: number }>({ kind: "throughput", side, total: 1_000, concurrency: 32 });
        rates[side].push(result.perSecond);
        errors += result.errors;
      }
    }
    const [apiRate, floorRate] = [median(rates.api), median(rates.floor)];
    report.add("creates/s through the API / bare DynamoDB, concurrency 32", apiRate / floorRate, "ratio", 0.8, "higher", `${apiRate.toFixed(0)}/s vs ${floorRate.toFixed(0)}/s`);
    report.add("errors during the throughput runs", errors, "count", 0);
  } finally {
    await client.close();
  }
}
