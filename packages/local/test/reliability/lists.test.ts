/**
 * API v2 through the offline stack (local gateway → real handlers → DynamoDB Local, real tokens
 * from cognito-local): lists and the new task fields, BOLA on every list route, the list and task
 * caps under racing creates, mark all over 500 tasks, a list delete read while it runs, and a
 * table seeded in the v1 layout — each checked against a raw Scan of the table as well.
 */
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, newTodoId } from "@tasks/core";
import { List, ListCollection, Todo } from "@tasks/core/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanPartitions } from "../../test-support/raw-table.js";
import { errorCode, inPool, startHarness, tally, type Harness, type User } from "./support.js";

let h: Harness;
let alice: User;
let bob: User;

beforeAll(async () => {
  h = await startHarness({ handlerEnvironment: { MAX_LISTS_PER_USER: "8", MAX_TODOS_PER_USER: "700" } });
  [alice, bob] = await Promise.all([h.signUp("lists-alice"), h.signUp("lists-bob")]);
}, 60_000);
afterAll(() => h?.stop());

const raw = async (user: User) =>
  (await scanPartitions(h.stack.dynamoDbEndpoint, h.stack.tableNames.todos, [user.sub])).get(user.sub)!;

async function newList(user: User, name: string): Promise<List> {
  const response = await h.call(user.accessToken, "POST", "/lists", { body: { name } });
  expect(response.status, response.text).toBe(201);
  return List.parse(response.body);
}

async function listIds(user: User): Promise<string[]> {
  const response = await h.call(user.accessToken, "GET", "/lists");
  expect(response.status, response.text).toBe(200);
  return ListCollection.parse(response.body).items.map((l) => l.id);
}

describe("lists and task fields over HTTP", () => {
  it("creates, renames, fills, moves between and marks all of a list", async () => {
    const work = await newList(alice, "Work");
    expect((await h.call(alice.accessToken, "GET", "/lists")).body).toEqual({ items: [expect.objectContaining({ id: "default" }), work] });
    const renamed = await h.call(alice.accessToken, "PATCH", `/lists/${work.id}`, { body: { name: "Job" }, headers: { "if-match": "1" } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Job", version: 2 });
    const task = await h.create(alice, { title: "report", listId: work.id, notes: "line 1\nline 2", due: "2027-03-31" });
    expect(task).toMatchObject({ listId: work.id, notes: "line 1\nline 2", due: "2027-03-31", completedAt: null });
    expect(await h.listAll(alice, `listId=${work.id}`)).toEqual([task]);
    const moved = await h.call(alice.accessToken, "PATCH", `/todos/${task.id}`, { body: { listId: "default", due: null } });
    expect(Todo.parse(moved.body)).toMatchObject({ listId: "default", due: null, version: 2 });
    expect(await h.listAll(alice, `listId=${work.id}`)).toEqual([]);
    const marked = await h.call(alice.accessToken, "PATCH", "/todos?listId=default", { body: { completed: true } });
    expect(marked.body).toEqual({ updated: 1 });
    expect((await h.call(alice.accessToken, "GET", `/todos/${task.id}`)).body).toMatchObject({ completed: true, completedAt: expect.any(String) });

    const stored = await raw(alice);
    expect(stored.tasks.get(task.id)).toMatchObject({ completed: true, notes: "line 1\nline 2", version: 3 });
    expect(stored.tasks.get(task.id)).not.toHaveProperty("listId");
    expect(stored.tasks.get(task.id)).not.toHaveProperty("due");
    expect(stored.memberships).toEqual([]);
  });

  it.each([
    ["2026-02-30"],
    ["2026-13-01"],
    ["26-01-01"],
  ])("refuses due %s with 400", async (due) => {
    const response = await h.call(alice.accessToken, "POST", "/todos", { body: { title: "t", due } });
    expect(response.status, response.text).toBe(400);
    expect(errorCode(response)).toBe("VALIDATION_FAILED");
  });

  it("refuses 4 001 characters of notes and control characters; a malformed listId is 400, a foreign one 404", async () => {
    const bobs = await newList(bob, "Bob's");
    const cases: [unknown, number][] = [
      [{ title: "t", notes: "n".repeat(4_001) }, 400],
      [{ title: "t", notes: "esc\u001b[31m" }, 400],
      [{ title: "t", listId: "work" }, 400],
      [{ title: "t", listId: bobs.id }, 404],
    ];
    for (const [body, status] of cases) {
      const response = await h.call(alice.accessToken, "POST", "/todos", { body });
      expect(response.status, response.text).toBe(status);
    }
    expect([...(await raw(bob)).tasks.keys()]).toEqual([]);
  });
});

describe("isolation", () => {
  it("another user's list is a 404 on every list route and as a listId anywhere; nothing changes", async () => {
    const secret = await newList(bob, "Secret");
    const inside = await h.create(bob, { title: "inside", listId: secret.id });
    const mine = await h.create(alice, { title: "mine" });
    const before = await raw(bob);
    const attacks: [string, string, unknown?][] = [
      ["PATCH", `/lists/${secret.id}`, { name: "pwned" }],
      ["DELETE", `/lists/${secret.id}`],
      ["GET", `/todos?listId=${secret.id}`],
      ["PATCH", `/todos?listId=${secret.id}`, { completed: true }],
      ["POST", "/todos", { title: "planted", listId: secret.id }],
      ["PATCH", `/todos/${mine.id}`, { listId: secret.id }],
      ["GET", `/todos/${inside.id}`],
      ["PATCH", `/todos/${inside.id}`, { title: "x" }],
      ["DELETE", `/todos/${inside.id}`],
    ];
    for (const [method, path, body] of attacks) {
      const response = await h.call(alice.accessToken, method, path, body === undefined ? {} : { body });
      expect(response.status, `${method} ${path}: ${response.text}`).toBe(404);
      expect(errorCode(response)).toBe("NOT_FOUND");
    }
    expect(await raw(bob)).toEqual(before);
    expect(await listIds(alice)).not.toContain(secret.id);
  });
});

describe("caps under racing creates", () => {
  it("lists: at most MAX_LISTS_PER_USER, the default one included", async () => {
    const racer = await h.signUp("lists-racer");
    const answers = await inPool(20, 20, (i) => h.call(racer.accessToken, "POST", "/lists", { body: { name: `l${i}` } }));
    expect(tally(answers.map((a) => a.status))).toEqual({ 201: 7, 409: 13 });
    expect(answers.filter((a) => a.status === 409).every((a) => errorCode(a) === "TOO_MANY_LISTS")).toBe(true);
    expect(await listIds(racer)).toHaveLength(8);
    expect((await raw(racer)).counter.listCount).toBe(7);
  });

  it("tasks: at most MAX_TODOS_PER_USER, also created into lists", async () => {
    const racer = await h.signUp("tasks-racer");
    const list = await newList(racer, "Full");
    await inPool(690, 16, (i) => h.create(racer, { title: `t${i}`, ...(i % 2 ? { listId: list.id } : {}) }));
    const answers = await inPool(30, 30, (i) => h.call(racer.accessToken, "POST", "/todos", { body: { title: `race ${i}`, listId: list.id } }));
    expect(tally(answers.map((a) => a.status))).toEqual({ 201: 10, 409: 20 });
    const stored = await raw(racer);
    expect(stored.tasks.size).toBe(700);
    expect(stored.counter.todoCount).toBe(700);
  }, 120_000);
});

describe("mark all and delete list", () => {
  it("marks 520 tasks complete in one request, then deletes the list: reads during the delete show all or none, none after", async () => {
    const user = await h.signUp("bulk-user");
    const list = await newList(user, "Big");
    const tasks = await inPool(520, 16, (i) => h.create(user, { title: `b${i}`, listId: list.id }));
    const kept = await h.create(user, { title: "kept" });

    const marked = await h.call(user.accessToken, "PATCH", `/todos?listId=${list.id}`, { body: { completed: true } });
    expect(marked.status, marked.text).toBe(200);
    expect(marked.body).toEqual({ updated: 520 });
    const afterMark = await raw(user);
    for (const task of tasks) expect(afterMark.tasks.get(task.id)).toMatchObject({ completed: true, version: 2, completedAt: expect.any(String) });
    expect(afterMark.tasks.get(kept.id)).toMatchObject({ completed: false, version: 1 });

    const observed: ("all" | "none")[] = [];
    let done = false;
    const reader = (async () => {
      while (!done) {
        const response = await h.call(user.accessToken, "GET", `/todos?listId=${list.id}&limit=100`);
        if (response.status === 404) observed.push("none");
        else {
          expect((response.body as { items: unknown[] }).items).toHaveLength(100);
          observed.push("all");
        }
      }
    })();
    const deleted = await h.call(user.accessToken, "DELETE", `/lists/${list.id}`);
    done = true;
    await reader;
    expect(deleted.status, deleted.text).toBe(204);
    // Once a read saw none, every later read saw none.
    const firstNone = observed.indexOf("none");
    if (firstNone >= 0) expect(observed.slice(firstNone)).not.toContain("all");

    expect(await h.listAll(user)).toEqual([kept]);
    expect((await h.call(user.accessToken, "GET", `/todos/${tasks[0]!.id}`)).status).toBe(404);
    expect((await h.call(user.accessToken, "GET", `/todos?listId=${list.id}`)).status).toBe(404);
    const stored = await raw(user);
    expect([...stored.tasks.keys()]).toEqual([kept.id]);
    expect(stored.memberships).toEqual([]);
    expect([...stored.lists.keys()]).toEqual([]);
    expect(stored.counter).toEqual({ todoCount: 1, listCount: 0 });
  }, 120_000);
});

describe("a partition in the v1 layout", () => {
  it("is served in the default list with the v2 defaults, and v1 requests still work", async () => {
    const user = await h.signUp("v1-seeded");
    const at = new Date(Date.UTC(2025, 0, 2));
    const v1 = { userId: user.sub, todoId: newTodoId(at), title: "from v1", completed: true, order: 7, createdAt: at.toISOString(), updatedAt: at.toISOString(), version: 4 };
    const db = createDocumentClient({ endpoint: h.stack.dynamoDbEndpoint });
    try {
      await db.send(
        new BatchWriteCommand({
          RequestItems: { [h.stack.tableNames.todos]: [v1, { userId: user.sub, todoId: "#counter", todoCount: 1 }].map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    } finally {
      db.destroy();
    }
    const expected = { id: v1.todoId, title: "from v1", completed: true, order: 7, createdAt: v1.createdAt, updatedAt: v1.updatedAt, version: 4, listId: "default", notes: "", due: null, completedAt: v1.updatedAt };
    expect(await h.listAll(user)).toEqual([expected]);
    expect(await h.listAll(user, "listId=default")).toEqual([expected]);
    const patched = await h.call(user.accessToken, "PATCH", `/todos/${v1.todoId}`, { body: { title: "still v1" }, headers: { "if-match": "4" } });
    expect(patched.status, patched.text).toBe(200);
    expect((await h.call(user.accessToken, "DELETE", "/todos?completed=true")).body).toEqual({ deleted: 1 });
    expect((await raw(user)).counter.todoCount).toBe(0);
  });
});
