/**
 * Sync transfer at 10 000 tasks: what a client that is in sync downloads after one change (the
 * budget: ≤ 2 KB in ≤ 2 requests), beside what a full reload (a snapshot) downloads, both
 * through the API in this run. The tasks are seeded straight into the table, 2 000 in each of 5
 * lists (no log entries: as if written long ago, before the last pull); the change goes through
 * the API. Bytes are the answers' bodies as received. The lists are created through the
 * repository seconds before, so the pull after the change carries them again too (a pull re-sends
 * the changes of the last 30 s, the late-commit bound): the figure is an upper bound of one change.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ListRepository } from "@tasks/core";
import { SyncPage } from "@tasks/core/contract";
import { SyncReplica } from "../../packages/local/test-support/sync-replica.js";
import type { Report } from "../report.js";
import { seedTasks } from "./lists.js";

const TASKS = 10_000;

export interface SyncTarget {
  apiUrl: string;
  accessToken: string;
  userId: string;
  db: DynamoDBDocumentClient;
  table: string;
}

export async function measureSyncTransfer(report: Report, target: SyncTarget) {
  const lists = new ListRepository(target.db, target.table);
  const listIds = ["default"];
  for (let i = 0; i < 4; i++) listIds.push((await lists.create(target.userId, { name: `list ${i}` })).id);
  await seedTasks(target.db, target.table, target.userId, TASKS, listIds);
  const headers = { authorization: `Bearer ${target.accessToken}` };

  let requests = 0;
  let bytes = 0;
  const read = async (since: string | undefined) => {
    const response = await fetch(`${target.apiUrl}/sync${since ? `?since=${encodeURIComponent(since)}` : ""}`, { headers });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET /sync answered ${response.status} ${body.slice(0, 200)}`);
    requests++;
    bytes += Buffer.byteLength(body);
    return SyncPage.parse(JSON.parse(body));
  };
  const measured = async (pull: () => Promise<unknown>) => {
    requests = 0;
    bytes = 0;
    await pull();
    return { requests, bytes };
  };

  const replica = new SyncReplica();
  const reload = await measured(() => replica.pull(read));
  if (replica.todos.size !== TASKS) throw new Error(`the snapshot held ${replica.todos.size} tasks`);

  const changed = [...replica.todos.keys()][TASKS / 2]!;
  const patch = await fetch(`${target.apiUrl}/todos/${changed}`, {
    method: "PATCH",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ completed: true }),
  });
  if (patch.status !== 200) throw new Error(`PATCH answered ${patch.status}`);
  const delta = await measured(() => replica.pull(read));
  if (!replica.todos.get(changed)?.completed || replica.todos.size !== TASKS) throw new Error("the replica missed the change");

  const detail = `a full reload: ${(reload.bytes / 1024).toFixed(0)} KB in ${reload.requests} requests`;
  report.add(`sync after one change at ${TASKS} tasks: bytes`, delta.bytes, "B", 2048, "lower", detail);
  report.add(`sync after one change at ${TASKS} tasks: requests`, delta.requests, "count", 2, "lower", `a full reload: ${reload.requests}`);
  report.add("full reload / sync after one change (bytes)", reload.bytes / delta.bytes, "ratio", null, "lower", `${reload.bytes} B vs ${delta.bytes} B`);
}
