/**
 * The load-generating client for the API measurements. It runs in a worker thread, as a real
 * client runs outside the server: the gateway and handlers keep the main thread to themselves,
 * and both sides of every comparison (through the API, and the bare DynamoDB call) are driven from
 * here alike.
 */
import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, logEntryItem, newLogEntryId, newTodoId } from "@tasks/core";
import { interleaved, throughput } from "../stats.js";

export interface ClientSettings {
  apiUrl: string;
  accessToken: string;
  userId: string;
  dynamoDbEndpoint: string;
  table: string;
  listSize: number;
}

export type ClientTask =
  | { kind: "seed" }
  | { kind: "latency"; operation: "list" | "create"; rounds: number; perRound: number }
  | { kind: "throughput"; side: "api" | "floor"; total: number; concurrency: number };

const settings = workerData as ClientSettings;
const db = createDocumentClient({ endpoint: settings.dynamoDbEndpoint });
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const headers = { authorization: `Bearer ${settings.accessToken}`, "content-type": "application/json" };
/** The floor writes to a partition of its own, so that neither side's writes grow the other's. */
const floorUser = `${settings.userId}-floor`;

/** node:http with keep-alive, as the SDK's own handler: the apparatus adds little to what it measures. */
function send(method: string, path: string, body?: string): Promise<{ status: number; body: string; serverMs: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${settings.apiUrl}${path}`, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      // The gateway states its own latency (receiving the request to answering it) in Server-Timing.
      const serverMs = Number(/dur=([\d.]+)/.exec(String(response.headers["server-timing"]))?.[1]);
      if (Number.isNaN(serverMs)) reject(new Error(`${method} ${path}: no Server-Timing in the answer`));
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString(), serverMs }));
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const viaApi = {
  async list() {
    const response = await send("GET", `/todos?limit=${settings.listSize}`);
    if (response.status !== 200) throw new Error(`GET /todos answered ${response.status}`);
    const items = (JSON.parse(response.body) as { items: unknown[] }).items;
    if (items.length !== settings.listSize) throw new Error(`GET /todos returned ${items.length} items`);
    return response.serverMs;
  },
  async create(title: string) {
    const response = await send("POST", "/todos", JSON.stringify({ title }));
    if (response.status !== 201) throw new Error(`POST /todos answered ${response.status}: ${response.body}`);
    return response.serverMs;
  },
};

/** The calls the handlers make (core's repository), written out against the document client. */
const bare = {
  list: () =>
    db.send(
      new QueryCommand({
        TableName: settings.table,
        KeyConditionExpression: "userId = :u AND todoId >= :first",
        ExpressionAttributeValues: { ":u": floorUser, ":first": "0" },
        Limit: settings.listSize + 1,
      }),
    ),
  create: (title: string) => {
    const now = new Date();
    const timestamp = now.toISOString();
    const todoId = newTodoId(now);
    return db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: settings.table,
              Item: { userId: floorUser, todoId, title, completed: false, order: now.getTime(), createdAt: timestamp, updatedAt: timestamp, version: 1 },
              ConditionExpression: "attribute_not_exists(todoId)",
            },
          },
          {
            Update: {
              TableName: settings.table,
              Key: { userId: floorUser, todoId: "#counter" },
              UpdateExpression: "ADD todoCount :one",
              ConditionExpression: "attribute_not_exists(todoCount) OR todoCount < :max",
              ExpressionAttributeValues: { ":one": 1, ":max": 1_000_000 },
            },
          },
          // The sync-log entry every write transaction carries.
          { Put: { TableName: settings.table, Item: logEntryItem(floorUser, newLogEntryId(), [{ kind: "todo", id: todoId }]) } },
        ],
      }),
    );
  },
};

let n = 0;
async function run(task: ClientTask): Promise<unknown> {
  switch (task.kind) {
    case "seed":
      for (let i = 0; i < settings.listSize; i++) {
        await viaApi.create(`seed ${i}`);
        await bare.create(`seed ${i}`);
      }
      return null;
    case "latency":
      return task.operation === "list"
        ? interleaved(() => viaApi.list(), () => bare.list(), task)
        : interleaved(() => viaApi.create(`api ${n++}`), () => bare.create(`bare ${n++}`), task);
    case "throughput":
      return throughput(
        (i) => (task.side === "api" ? viaApi.create(`load ${n}-${i}`) : bare.create(`load ${n}-${i}`)),
        task,
      ).finally(() => n++);
  }
}

parentPort!.on("message", (task: ClientTask | "close") => {
  if (task === "close") {
    agent.destroy();
    db.destroy();
    parentPort!.close();
    return;
  }
  run(task).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
