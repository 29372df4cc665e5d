/**
 * DELETE /lists/{listId} with its tasks is never half-visible, through the real handlers: reads
 * made while the purge runs show all of the list's tasks (before the tombstone) or none (after),
 * never some; after the 204 no read shows any; a purge cut short by the time left is finished by
 * the next DELETE; the task counter ends exact.
 */
import { randomUUID } from "node:crypto";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, isSyncLogKey } from "@tasks/core";
import { List, Todo, TodoPage } from "@tasks/core/contract";
import { describe, expect, it } from "vitest";
import { inPool } from "../../local/test-support/pool.js";
import { expectError, invoke, useHandlerTables } from "./invoke.js";

const tables = useHandlerTables({ MAX_TODOS_PER_USER: "1000" });
const fresh = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

async function rawPartition(user: string): Promise<Record<string, unknown>[]> {
  const db = createDocumentClient({ endpoint: tables.endpoint });
  try {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({ TableName: tables.todos, KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": user }, ConsistentRead: true, ExclusiveStartKey }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  } finally {
    db.destroy();
  }
}

async function seed(user: string, count: number) {
  const list = List.parse((await invoke("POST", "/lists", { user, json: { name: "Doomed" } })).body);
  const tasks = await inPool(count, 8, async (i) => Todo.parse((await invoke("POST", "/todos", { user, json: { title: `t${i}`, listId: list.id } })).body));
  const keep = Todo.parse((await invoke("POST", "/todos", { user, json: { title: "kept" } })).body);
  return { list, tasks, keep };
}

async function everyTask(user: string): Promise<Todo[]> {
  const seen: Todo[] = [];
  let cursor: string | null = null;
  do {
    const answer = await invoke("GET", "/todos", { user, query: { limit: "100", ...(cursor ? { cursor } : {}) } });
    const page = TodoPage.parse(answer.body);
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe("DELETE /lists/{listId}", () => {
  it("hides every task at once while the purge runs behind, and leaves nothing after the 204", async () => {
    const user = fresh("cascade");
    const { list, tasks, keep } = await seed(user, 600);
    const doomed = new Set(tasks.map((t) => t.id));

    // Reads run while the delete does. Each read shows all of the list's tasks it could (a full
    // page) or none; and a read that starts after any read saw none also sees none.
    type Read = { kind: string; started: number; ended: number; shows: "all" | "none"; storedAfter: number };
    const reads: Read[] = [];
    let finished = false;
    // A 503 (the wrapper's deadline passed on a busy machine) shows no task at all: not a read.
    const read = async (kind: string, run: () => Promise<"all" | "none" | "unavailable">) => {
      const started = performance.now();
      const shows = await run();
      const ended = performance.now();
      if (shows === "unavailable") return;
      const storedAfter = (await rawPartition(user)).filter((item) => doomed.has(item.todoId as string)).length;
      reads.push({ kind, started, ended, shows, storedAfter });
    };
    const allOrNone = (count: number, all: number): "all" | "none" => {
      if (count !== 0 && count !== all) throw new Error(`half-visible: ${count} of ${all}`);
      return count === 0 ? "none" : "all";
    };
    const reader = (async () => {
      for (let i = 0; !finished; i++) {
        const probe = tasks[(i * 37) % tasks.length]!;
        await Promise.all([
          read("GET /todos?listId=", async () => {
            const answer = await invoke("GET", "/todos", { user, query: { listId: list.id, limit: "100" } });
            if (answer.status === 503) return "unavailable";
            return answer.status === 404 ? "none" : allOrNone(answer.body.items.length, 100);
          }),
          read("GET /todos/{id}", async () => {
            const { status } = await invoke("GET", `/todos/${probe.id}`, { user });
            if (status === 503) return "unavailable";
            if (status !== 200 && status !== 404) throw new Error(`GET /todos/{id} answered ${status}`);
            return status === 404 ? "none" : "all";
          }),
          read("GET /todos", async () => {
            const answer = await invoke("GET", "/todos", { user, query: { limit: "100" } });
            if (answer.status === 503) return "unavailable";
            return allOrNone((answer.body.items as Todo[]).filter((t) => doomed.has(t.id)).length, 100);
          }),
        ]);
      }
    })();
    // A 503 (the deadline passed on a busy machine) is retried, as clients do: the delete resumes.
    // A retry may find the list already gone (the attempt answered 503 had finished): 404, done.
    let deleted = await invoke("DELETE", `/lists/${list.id}`, { user });
    let retried = false;
    for (let retry = 0; deleted.status === 503 && retry < 5; retry++) {
      retried = true;
      deleted = await invoke("DELETE", `/lists/${list.id}`, { user });
    }
    finished = true;
    await reader;
    expect(deleted.status === 204 || (retried && deleted.status === 404), JSON.stringify(deleted.body)).toBe(true);

    const firstNone = Math.min(...reads.filter((r) => r.shows === "none").map((r) => r.ended));
    for (const later of reads.filter((r) => r.started > firstNone)) expect(later.shows, JSON.stringify(later)).toBe("none");
    // The delete was really in flight: some read saw none while tasks were still stored.
    expect(reads.some((r) => r.shows === "none" && r.storedAfter > 0), JSON.stringify(reads)).toBe(true);

    // After the 204: no read shows any of them, and nothing of the list is stored.
    expectError(await invoke("GET", "/todos", { user, query: { listId: list.id } }), 404, "NOT_FOUND");
    for (const t of tasks.slice(0, 50)) expectError(await invoke("GET", `/todos/${t.id}`, { user }), 404, "NOT_FOUND");
    expect(await everyTask(user)).toEqual([keep]);
    expect((await invoke("GET", "/lists", { user })).body.items.map((l: List) => l.id)).toEqual(["default"]);
    const stored = await rawPartition(user);
    // Sync-log entries stay (a syncing client learns of the deletes from them) until their TTL.
    expect(stored.map((item) => item.todoId as string).filter((key) => !isSyncLogKey(key)).sort()).toEqual(["#counter", keep.id]);
    expect(stored.find((item) => item.todoId === "#counter")).toMatchObject({ todoCount: 1, listCount: 0 });
    expectError(await invoke("DELETE", `/lists/${list.id}`, { user }), 404, "NOT_FOUND");
  }, 180_000);

  it("answers 204 when time runs short, hides the rest, and the next DELETE finishes the purge", async () => {
    const user = fresh("deferred");
    const { list, tasks, keep } = await seed(user, 200);
    // The wrapper reads the time left once, the purge before each of its 5 transactions: 2 go.
    const remaining = (call: number) => (call <= 3 ? 10_000 : 2_400);
    expect((await invoke("DELETE", `/lists/${list.id}`, { user, remaining })).status).toBe(204);
    const left = (await rawPartition(user)).filter((item) => tasks.some((t) => t.id === item.todoId));
    expect(left).toHaveLength(200 - 2 * 49);
    // Tasks not yet purged are gone for every read and write.
    expect(await everyTask(user)).toEqual([keep]);
    const straggler = left[0]!.todoId as string;
    expectError(await invoke("GET", `/todos/${straggler}`, { user }), 404, "NOT_FOUND");
    expectError(await invoke("PATCH", `/todos/${straggler}`, { user, json: { title: "back?" } }), 404, "NOT_FOUND");
    expectError(await invoke("DELETE", `/todos/${straggler}`, { user }), 404, "NOT_FOUND");
    expectError(await invoke("POST", "/todos", { user, json: { title: "into the void", listId: list.id } }), 404, "NOT_FOUND");
    expectError(await invoke("PATCH", `/todos/${keep.id}`, { user, json: { listId: list.id } }), 404, "NOT_FOUND");
    expectError(await invoke("PATCH", `/lists/${list.id}`, { user, json: { name: "revived" } }), 404, "NOT_FOUND");
    expect((await invoke("PATCH", "/todos", { user, json: { completed: true } })).body).toEqual({ updated: 1 });
    expect((await invoke("GET", "/lists", { user })).body.items.map((l: List) => l.id)).toEqual(["default"]);

    // Deleting it again (a retry) finishes the purge; the counter is exact.
    expect((await invoke("DELETE", `/lists/${list.id}`, { user })).status).toBe(204);
    const stored = await rawPartition(user);
    // Sync-log entries stay (a syncing client learns of the deletes from them) until their TTL.
    expect(stored.map((item) => item.todoId as string).filter((key) => !isSyncLogKey(key)).sort()).toEqual(["#counter", keep.id]);
    expect(stored.find((item) => item.todoId === "#counter")).toMatchObject({ todoCount: 1, listCount: 0 });
  }, 120_000);
});
