/**
 * The v2 task fields and routes through the real handlers: listId, notes, due, completedAt,
 * GET /todos?listId=, moving a task between lists, and mark all (PATCH /todos) over 500 tasks.
 */
import { randomUUID } from "node:crypto";
import { List, Todo, TodoPage } from "@tasks/core/contract";
import { describe, expect, it } from "vitest";
import { inPool } from "../../local/test-support/pool.js";
import { expectError, invoke, useHandlerTables } from "./invoke.js";

useHandlerTables();
const fresh = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

async function newList(user: string, name = "Work") {
  return List.parse((await invoke("POST", "/lists", { user, json: { name } })).body);
}

async function newTodo(user: string, json: Record<string, unknown>) {
  const answer = await invoke("POST", "/todos", { user, json });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return Todo.parse(answer.body);
}

async function all(user: string, query: Record<string, string> = {}): Promise<Todo[]> {
  const seen: Todo[] = [];
  let cursor: string | null = null;
  do {
    const answer = await invoke("GET", "/todos", { user, query: { limit: "100", ...query, ...(cursor ? { cursor } : {}) } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const page = TodoPage.parse(answer.body);
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe("task fields", () => {
  it("defaults: the default list, no notes, no due date, completedAt null", async () => {
    const user = fresh("plain");
    const todo = await newTodo(user, { title: "plain" });
    expect(todo).toMatchObject({ listId: "default", notes: "", due: null, completedAt: null });
    expect((await invoke("GET", `/todos/${todo.id}`, { user })).body).toEqual(todo);
  });

  it("stores listId, notes (with newlines, verbatim) and due; completedAt when created completed", async () => {
    const user = fresh("rich");
    const list = await newList(user);
    const notes = "  line one\nline two\r\n\n🎉".padEnd(4_000, "x");
    const todo = await newTodo(user, { title: "rich", listId: list.id, notes, due: "2028-02-29", completed: true });
    expect(todo).toMatchObject({ listId: list.id, notes, due: "2028-02-29", completed: true });
    expect(todo.completedAt).toBe(todo.createdAt);
    expect((await invoke("GET", `/todos/${todo.id}`, { user })).body).toEqual(todo);
  });

  it.each([
    ["a date that does not exist", { due: "2026-02-30" }],
    ["month 13", { due: "2026-13-01" }],
    ["a two-digit year", { due: "26-01-01" }],
    ["a year before 2000", { due: "1999-12-31" }],
    ["a year after 2999", { due: "3000-01-01" }],
    ["a date-time", { due: "2026-01-01T00:00:00Z" }],
    ["a numeric due", { due: 20260101 }],
    ["4 001 characters of notes", { notes: "x".repeat(4_001) }],
    ["a control character in notes", { notes: "bell\u0007" }],
    ["a tab in notes", { notes: "a\tb" }],
    ["an unpaired surrogate in notes", { notes: "a\ud800" }],
    ["a malformed listId", { listId: "work" }],
    ["a numeric listId", { listId: 7 }],
    ["a client-set completedAt", { completedAt: "2026-01-01T00:00:00.000Z" }],
  ])("refuses %s with 400 on create and on patch, storing nothing", async (_, fields) => {
    const user = fresh("invalid");
    expectError(await invoke("POST", "/todos", { user, json: { title: "t", ...fields } }), 400, "VALIDATION_FAILED");
    expect(await all(user)).toEqual([]);
    const todo = await newTodo(user, { title: "t" });
    expectError(await invoke("PATCH", `/todos/${todo.id}`, { user, json: fields }), 400, "VALIDATION_FAILED");
    expect((await invoke("GET", `/todos/${todo.id}`, { user })).body).toEqual(todo);
  });

  it("a listId that is not one of the caller's lists is a 404 and stores nothing", async () => {
    const user = fresh("lost");
    expectError(await invoke("POST", "/todos", { user, json: { title: "t", listId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" } }), 404, "NOT_FOUND");
    expect(await all(user)).toEqual([]);
    expectError(await invoke("GET", "/todos", { user, query: { listId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" } }), 404, "NOT_FOUND");
  });

  it("PATCH sets and clears due and notes; completion sets completedAt, reopening clears it", async () => {
    const user = fresh("patcher");
    const todo = await newTodo(user, { title: "t", due: "2026-12-31", notes: "n" });
    const cleared = Todo.parse((await invoke("PATCH", `/todos/${todo.id}`, { user, json: { due: null, notes: "" } })).body);
    expect(cleared).toMatchObject({ due: null, notes: "", version: 2 });
    const done = Todo.parse((await invoke("PATCH", `/todos/${todo.id}`, { user, json: { completed: true } })).body);
    expect(done.completedAt).toBe(done.updatedAt);
    // Completing again keeps the first completion time.
    const again = Todo.parse((await invoke("PATCH", `/todos/${todo.id}`, { user, json: { completed: true } })).body);
    expect(again.completedAt).toBe(done.completedAt);
    const reopened = Todo.parse((await invoke("PATCH", `/todos/${todo.id}`, { user, json: { completed: false } })).body);
    expect(reopened).toMatchObject({ completed: false, completedAt: null, version: 5 });
  });
});

describe("lists of tasks", () => {
  it("GET /todos?listId= shows that list only, paged in id order; GET /todos shows every list", async () => {
    const user = fresh("lister");
    const work = await newList(user, "Work");
    const home = await newList(user, "Home");
    const inWork: Todo[] = [];
    for (let i = 0; i < 7; i++) {
      inWork.push(await newTodo(user, { title: `w${i}`, listId: work.id, completed: i % 2 === 0 }));
      await newTodo(user, { title: `h${i}`, listId: home.id });
      await newTodo(user, { title: `d${i}` });
    }
    expect(await all(user, { listId: work.id, limit: "3" })).toEqual(inWork);
    expect((await all(user, { listId: work.id, completed: "true" })).map((t) => t.title)).toEqual(["w0", "w2", "w4", "w6"]);
    expect((await all(user, { listId: "default" })).map((t) => t.title)).toEqual(["d0", "d1", "d2", "d3", "d4", "d5", "d6"]);
    expect(await all(user)).toHaveLength(21);
  });

  it("moves a task between lists with PATCH listId, with If-Match", async () => {
    const user = fresh("mover");
    const work = await newList(user, "Work");
    const todo = await newTodo(user, { title: "move me", notes: "kept" });
    const headers = { "if-match": "1" };
    const moved = Todo.parse((await invoke("PATCH", `/todos/${todo.id}`, { user, json: { listId: work.id, title: "moved" }, headers })).body);
    expect(moved).toMatchObject({ listId: work.id, title: "moved", notes: "kept", version: 2 });
    expect((await invoke("GET", `/todos/${todo.id}`, { user })).body).toEqual(moved);
    expect(await all(user, { listId: work.id })).toEqual([moved]);
    expect(await all(user, { listId: "default" })).toEqual([]);
    const stale = await invoke("PATCH", `/todos/${todo.id}`, { user, json: { listId: "default" }, headers });
    expectError(stale, 409, "VERSION_CONFLICT");
    expect(stale.body.error.currentVersion).toBe(2);
    const back = Todo.parse((await invoke("PATCH", `/todos/${todo.id}`, { user, json: { listId: "default" } })).body);
    expect(back).toMatchObject({ listId: "default", version: 3 });
    expect(await all(user, { listId: work.id })).toEqual([]);
    expect(await all(user, { listId: "default" })).toEqual([back]);
    expectError(await invoke("PATCH", `/todos/${todo.id}`, { user, json: { listId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" } }), 404, "NOT_FOUND");
    expect((await invoke("GET", `/todos/${todo.id}`, { user })).body).toEqual(back);
  });

  it("deleting a task takes it out of its list", async () => {
    const user = fresh("deleter");
    const work = await newList(user, "Work");
    const todo = await newTodo(user, { title: "bye", listId: work.id });
    expect((await invoke("DELETE", `/todos/${todo.id}`, { user })).status).toBe(204);
    expect(await all(user, { listId: work.id })).toEqual([]);
    expectError(await invoke("DELETE", `/todos/${todo.id}`, { user }), 404, "NOT_FOUND");
  });
});

describe("PATCH /todos (mark all)", () => {
  it("marks every task of a list of 520 complete in one request, then reopens them, each once", async () => {
    const user = fresh("bulk");
    const big = await newList(user, "Big");
    const other = await newList(user, "Other");
    const created = await inPool(520, 8, (i) => newTodo(user, { title: `b${i}`, listId: big.id, completed: i < 20 }));
    const untouched = [await newTodo(user, { title: "elsewhere", listId: other.id }), await newTodo(user, { title: "default" })];

    const answer = await invoke("PATCH", "/todos", { user, query: { listId: big.id }, json: { completed: true } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual({ updated: 500 });
    const after = await all(user, { listId: big.id });
    expect(after).toHaveLength(520);
    for (const todo of after) {
      const before = created.find((t) => t.id === todo.id)!;
      expect(todo.completed).toBe(true);
      expect(todo.completedAt).not.toBeNull();
      expect(todo.version).toBe(before.completed ? 1 : 2);
    }
    for (const todo of untouched) expect((await invoke("GET", `/todos/${todo.id}`, { user })).body).toEqual(todo);

    expect((await invoke("PATCH", "/todos", { user, query: { listId: big.id }, json: { completed: true } })).body).toEqual({ updated: 0 });
    const reopen = await invoke("PATCH", "/todos", { user, query: { listId: big.id, completed: "true" }, json: { completed: false } });
    expect(reopen.body).toEqual({ updated: 520 });
    expect((await all(user, { listId: big.id, completed: "false" })).every((t) => t.completedAt === null)).toBe(true);
    expect(await all(user, { listId: big.id, completed: "false" })).toHaveLength(520);
  }, 120_000);

  it("without listId marks every list; with listId=default only the default list", async () => {
    const user = fresh("everything");
    const work = await newList(user, "Work");
    await newTodo(user, { title: "w", listId: work.id });
    await newTodo(user, { title: "d" });
    expect((await invoke("PATCH", "/todos", { user, query: { listId: "default" }, json: { completed: true } })).body).toEqual({ updated: 1 });
    expect((await all(user, { listId: work.id }))[0]!.completed).toBe(false);
    expect((await invoke("PATCH", "/todos", { user, json: { completed: true } })).body).toEqual({ updated: 1 });
    expect((await all(user)).every((t) => t.completed)).toBe(true);
  });

  it.each([
    ["no body", undefined, {}],
    ["a string completed", { completed: "true" }, {}],
    ["an extra field", { completed: true, title: "x" }, {}],
    ["a bad completed filter", { completed: true }, { completed: "yes" }],
    ["a malformed listId", { completed: true }, { listId: "x" }],
    ["an unknown parameter", { completed: true }, { limit: "5" }],
  ])("refuses %s with 400", async (_, json, query) => {
    const answer = await invoke("PATCH", "/todos", { ...(json !== undefined ? { json } : {}), query });
    expectError(answer, 400, "VALIDATION_FAILED");
  });

  it("answers 503 with Retry-After when out of time, keeps what it wrote, and a retry finishes", async () => {
    const user = fresh("slow");
    const list = await newList(user, "Slow");
    await inPool(300, 8, (i) => newTodo(user, { title: `s${i}`, listId: list.id }));
    // 300 tasks are 4 transactions of up to 99. The wrapper reads the time left once; then each
    // transaction asks before it starts: two may go, then 2.4 s are left — under the 2.5 s kept back.
    const remaining = (call: number) => (call <= 3 ? 10_000 : 2_400);
    const hurried = await invoke("PATCH", "/todos", { user, query: { listId: list.id }, json: { completed: true }, remaining });
    expectError(hurried, 503, "SERVICE_UNAVAILABLE");
    expect(hurried.headers["retry-after"]).toBe("1");
    const done = (await all(user, { listId: list.id, completed: "true" })).length;
    expect(done).toBe(198);
    expect((await invoke("PATCH", "/todos", { user, query: { listId: list.id }, json: { completed: true } })).body).toEqual({ updated: 300 - done });
  }, 60_000);
});
