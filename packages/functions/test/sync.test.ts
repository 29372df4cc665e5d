/**
 * GET /sync through the real handler against DynamoDB Local: a snapshot (paged, tasks of a
 * deleted list left out), then the changes after a cursor — creates, edits, moves, deletes, list
 * deletes, bulk writes — which a replica applies to reach exactly what GET /lists and GET /todos
 * say; deletes never resurrect, other users' changes never show, old and foreign cursors are
 * refused.
 */
import { randomUUID } from "node:crypto";
import { encodeCursor, newLogEntryId, SYNC_LOG_RETENTION_SECONDS, syncCursorAfter } from "@tasks/core";
import { List, SyncPage, Todo, TodoPage } from "@tasks/core/contract";
import { describe, expect, it } from "vitest";
import { inPool } from "../../local/test-support/pool.js";
import { SyncReplica } from "../../local/test-support/sync-replica.js";
import { expectError, invoke, useHandlerTables } from "./invoke.js";

useHandlerTables();
const fresh = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

async function sync(user: string, since?: string): Promise<SyncPage> {
  const answer = await invoke("GET", "/sync", { user, ...(since ? { query: { since } } : {}) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return SyncPage.parse(answer.body);
}

const replicaOf = async (user: string) => {
  const replica = new SyncReplica();
  const pages = await replica.pull((since) => sync(user, since));
  return { replica, pages };
};

/** What the server shows, through the routes a v1/v2 client reads. */
async function serverState(user: string): Promise<{ lists: List[]; todos: Todo[] }> {
  const lists = ((await invoke("GET", "/lists", { user })).body.items as List[]).map((l) => List.parse(l));
  const todos: Todo[] = [];
  let cursor: string | null = null;
  do {
    const page = TodoPage.parse((await invoke("GET", "/todos", { user, query: { limit: "100", ...(cursor ? { cursor } : {}) } })).body);
    todos.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { lists: lists.sort(byId), todos: todos.sort(byId) };
}

async function create(user: string, json: Record<string, unknown>): Promise<Todo> {
  const answer = await invoke("POST", "/todos", { user, json });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return Todo.parse(answer.body);
}

async function newList(user: string, name: string): Promise<List> {
  return List.parse((await invoke("POST", "/lists", { user, json: { name } })).body);
}

describe("GET /sync without since: a snapshot", () => {
  it("holds every live list (the default one too) and task, pages at 500 tasks, and leaves out tasks of a deleted list", async () => {
    const user = fresh("snapshot");
    const work = await newList(user, "Work");
    const doomed = await newList(user, "Doomed");
    await inPool(620, 8, (i) => create(user, { title: `t${i}`, ...(i % 3 === 0 ? { listId: work.id } : {}) }));
    const hidden = await inPool(5, 5, (i) => create(user, { title: `doomed ${i}`, listId: doomed.id }));
    // A purge cut short at once: the tombstone is written, the tasks are still stored.
    expect((await invoke("DELETE", `/lists/${doomed.id}`, { user, remaining: (call) => (call <= 1 ? 10_000 : 2_400) })).status).toBe(204);

    const { replica, pages } = await replicaOf(user);
    expect(pages.map((p) => p.hasMore)).toEqual([true, false]);
    expect(pages[0]!.changes.filter((c) => c.kind === "list")).toHaveLength(2);
    expect(pages.slice(1).every((p) => p.changes.every((c) => c.kind === "todo" && !c.deleted))).toBe(true);
    expect(pages.map((p) => p.changes.filter((c) => c.kind === "todo").length)).toEqual([500, 120]);
    expect(replica.state()).toEqual(await serverState(user));
    for (const task of hidden) expect(replica.todos.has(task.id)).toBe(false);
  }, 60_000);

  it("of a new user: the default list only", async () => {
    const page = await sync(fresh("empty"));
    expect(page).toMatchObject({ hasMore: false, changes: [{ kind: "list", id: "default", deleted: false, item: { isDefault: true } }] });
  });
});

describe("GET /sync?since=: the changes after a cursor", () => {
  it("creates, edits, moves, deletes and list deletes: the replica reaches the server's state", async () => {
    const user = fresh("changes");
    const home = await newList(user, "Home");
    const kept = await create(user, { title: "kept" });
    const moved = await create(user, { title: "moved" });
    const gone = await create(user, { title: "gone", listId: home.id });
    const { replica } = await replicaOf(user);

    const errands = await newList(user, "Errands");
    await create(user, { title: "in errands", listId: errands.id });
    await invoke("PATCH", `/todos/${kept.id}`, { user, json: { title: "kept, renamed", completed: true, notes: "n" } });
    await invoke("PATCH", `/todos/${moved.id}`, { user, json: { listId: home.id } });
    await invoke("DELETE", `/todos/${gone.id}`, { user });
    await invoke("PATCH", "/lists/default", { user, json: { name: "Inbox" } });
    const inHome = await create(user, { title: "purged with its list", listId: home.id });
    expect((await invoke("DELETE", `/lists/${home.id}`, { user })).status).toBe(204);

    const pages = await replica.pull((since) => sync(user, since));
    expect(pages).toHaveLength(1);
    const deletes = pages[0]!.changes.filter((c) => c.deleted).map((c) => c.id);
    expect(deletes).toEqual(expect.arrayContaining([gone.id, moved.id, inHome.id, home.id]));
    expect(replica.state()).toEqual(await serverState(user));
    expect(replica.lists.get("default")?.name).toBe("Inbox");
  });

  it("a list delete reports its tasks deleted at once, also while its purge is still to come", async () => {
    const user = fresh("tombstone");
    const doomed = await newList(user, "Doomed");
    const tasks = await inPool(5, 5, (i) => create(user, { title: `doomed ${i}`, listId: doomed.id }));
    const { replica } = await replicaOf(user);
    expect(replica.todos.size).toBe(5);
    expect((await invoke("DELETE", `/lists/${doomed.id}`, { user, remaining: (call) => (call <= 1 ? 10_000 : 2_400) })).status).toBe(204);
    const page = await sync(user, replica.cursor);
    expect(page.changes.filter((c) => c.deleted).map((c) => c.id).sort()).toEqual([doomed.id, ...tasks.map((t) => t.id)].sort());
    replica.apply(page);
    expect(replica.state()).toEqual(await serverState(user));
  });

  it("a delete never resurrects: a task created and deleted between two pulls is reported deleted, not shown", async () => {
    const user = fresh("resurrect");
    const { replica } = await replicaOf(user);
    const brief = await create(user, { title: "brief" });
    await invoke("PATCH", `/todos/${brief.id}`, { user, json: { title: "briefer" } });
    await invoke("DELETE", `/todos/${brief.id}`, { user });
    const page = await sync(user, replica.cursor);
    expect(page.changes).toEqual([{ kind: "todo", id: brief.id, deleted: true }]);
  });

  it("re-sends the changes of the last 30 s (the late-commit bound) and they apply idempotently", async () => {
    const user = fresh("again");
    const { replica } = await replicaOf(user);
    const first = await create(user, { title: "first" });
    await replica.pull((since) => sync(user, since));
    const second = await create(user, { title: "second" });
    const page = await sync(user, replica.cursor);
    // The cursor stays 30 s behind: the first change comes again, with the second.
    expect(page.changes.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
    replica.apply(page);
    expect(replica.state()).toEqual(await serverState(user));
  });

  it("pages a bulk write of 620 tasks (mark all): 500 changes and the rest of the last entry, then the others", async () => {
    const user = fresh("bulk");
    await inPool(620, 8, (i) => create(user, { title: `t${i}` }));
    const { replica } = await replicaOf(user);
    // On a busy machine the write may run out of its invocation's time (503, what it wrote kept):
    // retried, as a client does, it finishes the rest.
    let marked = await invoke("PATCH", "/todos", { user, json: { completed: true } });
    for (let retry = 0; marked.status === 503 && retry < 5; retry++) marked = await invoke("PATCH", "/todos", { user, json: { completed: true } });
    expect(marked.status).toBe(200);
    const pages = await replica.pull((since) => sync(user, since));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    // Changes are grouped by log entry (≤ 99 ids): a page stops at the first entry past 500.
    expect(pages[0]!.changes.length).toBeGreaterThanOrEqual(500);
    expect(pages[0]!.changes.length).toBeLessThan(500 + 99);
    expect(replica.state()).toEqual(await serverState(user));
    expect([...replica.todos.values()].every((t) => t.completed)).toBe(true);
  }, 60_000);

  it("shows nothing of another user's changes", async () => {
    const alice = fresh("alice");
    const bob = fresh("bob");
    const { replica } = await replicaOf(alice);
    await create(bob, { title: "bob's" });
    await newList(bob, "Bob's list");
    const page = await sync(alice, replica.cursor);
    expect(page.changes).toEqual([]);
  });
});

describe("GET /sync: cursors refused", () => {
  it("410 CURSOR_EXPIRED past the log's retention", async () => {
    const user = fresh("expired");
    const old = newLogEntryId(new Date(Date.now() - (SYNC_LOG_RETENTION_SECONDS + 60) * 1000));
    expectError(await invoke("GET", "/sync", { user, query: { since: syncCursorAfter(user, old) } }), 410, "CURSOR_EXPIRED");
    const recent = newLogEntryId(new Date(Date.now() - (SYNC_LOG_RETENTION_SECONDS - 60) * 1000));
    expect((await invoke("GET", "/sync", { user, query: { since: syncCursorAfter(user, recent) } })).status).toBe(200);
  });

  it("400 for another user's, a forged or a list cursor, and for unknown parameters", async () => {
    const user = fresh("forged");
    const bobs = (await sync(fresh("bob"))).cursor;
    const forged = Buffer.from(JSON.stringify({ log: newLogEntryId(), for: "someone" })).toString("base64url");
    for (const since of [bobs, forged, "%%%", encodeCursor(user, newLogEntryId())]) {
      expectError(await invoke("GET", "/sync", { user, query: { since } }), 400, "VALIDATION_FAILED");
    }
    expectError(await invoke("GET", "/sync", { user, query: { cursor: "x" } }), 400, "VALIDATION_FAILED");
  });
});
