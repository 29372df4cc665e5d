import { Todo, TodoPage } from "@tasks/core/contract";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestTables } from "../../local/test-support/tables.js";
import type { ApiHandler } from "../src/http-handler.js";
import { logger } from "../src/observability.js";
import { resetRuntime } from "../src/runtime.js";
import { handler as createList } from "../src/lists/create.js";
import { handler as clearCompleted } from "../src/todos/clear-completed.js";
import { handler as create } from "../src/todos/create.js";
import { handler as get } from "../src/todos/get.js";
import { handler as list } from "../src/todos/list.js";
import { handler as remove } from "../src/todos/remove.js";
import { handler as update } from "../src/todos/update.js";
import { createServer, type Server } from "node:net";
import { accessClaims, apiEvent, lambdaContext, type EventOptions } from "./api-event.js";
import { handlerEnvironment } from "./invoke.js";

let tables: Awaited<ReturnType<typeof createTestTables>>;

beforeAll(async () => {
  tables = await createTestTables();
  Object.assign(process.env, handlerEnvironment(tables));
  resetRuntime();
});
afterAll(async () => {
  resetRuntime();
  await tables.drop();
});

interface Result {
  status: number;
  headers: Record<string, string>;
  body: any;
}

async function call(
  handler: ApiHandler,
  options: Partial<EventOptions> & { user?: string; json?: unknown; remainingMs?: number },
): Promise<Result> {
  const { user = "alice", json, remainingMs, ...rest } = options;
  const event = apiEvent({
    method: "GET",
    path: "/todos",
    claims: accessClaims(user),
    ...(json !== undefined ? { body: JSON.stringify(json), headers: { "content-type": "application/json", ...rest.headers } } : {}),
    ...rest,
  } as EventOptions);
  const context = lambdaContext();
  if (remainingMs !== undefined) {
    const deadline = Date.now() + remainingMs;
    context.getRemainingTimeInMillis = () => deadline - Date.now();
  }
  const result = await handler(event, context);
  const headers = (result.headers ?? {}) as Record<string, string>;
  return { status: result.statusCode ?? 200, headers, body: result.body ? JSON.parse(result.body) : undefined };
}

const post = (json: unknown, options: Partial<EventOptions> & { user?: string } = {}) =>
  call(create, { method: "POST", path: "/todos", json, ...options });
const byId = (id: string) => ({ path: `/todos/${id}`, routePath: "/todos/{id}", pathParameters: { id } });
const patch = (id: string, json: unknown, options: Partial<EventOptions> & { user?: string } = {}) =>
  call(update, { method: "PATCH", ...byId(id), json, ...options });

function expectError(result: Result, status: number, code: string) {
  expect(result.status).toBe(status);
  expect(result.body.error.code).toBe(code);
  expect(typeof result.body.error.message).toBe("string");
  expect(result.body.error.requestId).toBeTruthy();
  expect(JSON.stringify(result.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

describe("POST /todos", () => {
  it("creates a task: 201, Location, and a Todo per the contract", async () => {
    const result = await post({ title: "  Write tests  " });
    expect(result.status).toBe(201);
    const todo = Todo.parse(result.body);
    expect(todo).toMatchObject({ title: "Write tests", completed: false, version: 1 });
    expect(result.headers.location).toBe(`/todos/${todo.id}`);
    expect(result.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("accepts a 500-character title counted in characters, and a base64-encoded body", async () => {
    expect((await post({ title: "🎉".repeat(500) })).status).toBe(201);
    const event = { body: Buffer.from(JSON.stringify({ title: "encoded" })).toString("base64"), isBase64Encoded: true };
    const result = await call(create, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, ...event });
    expect(result.status).toBe(201);
    expect(result.body.title).toBe("encoded");
  });

  it.each([
    ["an empty title", { title: "" }],
    ["a whitespace title", { title: "   \t " }],
    ["a 501-character title", { title: "x".repeat(501) }],
    ["a numeric title", { title: 5 }],
    ["a string for completed", { title: "a", completed: "yes" }],
    ["a string for order", { title: "a", order: "1" }],
    ["an unknown field", { title: "a", priority: "high" }],
    ["a client-set id", { title: "a", id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }],
    ["a client-set userId", { title: "a", userId: "mallory" }],
    ["a client-set version", { title: "a", version: 9 }],
    ["a client-set createdAt", { title: "a", createdAt: "2020-01-01T00:00:00.000Z" }],
    ["a client-set updatedAt", { title: "a", updatedAt: "2020-01-01T00:00:00.000Z" }],
    ["a missing title", {}],
    ["an array", [{ title: "a" }]],
    ["null", null],
    ["a control character", { title: "bell\u0007" }],
    ["an unpaired surrogate", { title: "a\ud800b" }],
    ["surrogates in the wrong order", { title: "\udc00\ud800" }],
  ])("rejects %s with 400 VALIDATION_FAILED and details", async (_, json) => {
    const result = await post(json);
    expectError(result, 400, "VALIDATION_FAILED");
    expect(result.body.error.details.length).toBeGreaterThan(0);
  });

  it("rejects invalid JSON with 400", async () => {
    const result = await call(create, { method: "POST", body: '{"title": "a",', headers: { "content-type": "application/json" } });
    expectError(result, 400, "VALIDATION_FAILED");
  });

  it("rejects a missing body with 400", async () => {
    const result = await call(create, { method: "POST", headers: { "content-type": "application/json" } });
    expectError(result, 400, "VALIDATION_FAILED");
  });

  it("rejects a non-JSON media type with 415", async () => {
    const result = await call(create, { method: "POST", body: "title=a", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expectError(result, 415, "UNSUPPORTED_MEDIA_TYPE");
    const untyped = await call(create, { method: "POST", body: '{"title":"a"}' });
    expectError(untyped, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("rejects a body over 16 KiB with 413, whatever the route", async () => {
    const big = { title: "a", padding: "x".repeat(16 * 1024) };
    expectError(await post(big), 413, "PAYLOAD_TOO_LARGE");
    const todo = (await post({ title: "target" })).body;
    expectError(await patch(todo.id, big), 413, "PAYLOAD_TOO_LARGE");
  });

  it("replays the same response for a retried Idempotency-Key, and refuses the key with another body", async () => {
    const headers = { "content-type": "application/json", "idempotency-key": "retry-me-1" };
    const first = await post({ title: "Pay rent" }, { headers });
    const retry = await post({ title: "Pay rent" }, { headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);

    const listed = await call(list, { query: { limit: "100" } });
    expect(listed.body.items.filter((t: Todo) => t.title === "Pay rent")).toHaveLength(1);

    expectError(await post({ title: "Something else" }, { headers }), 422, "IDEMPOTENCY_KEY_REUSED");

    const otherUser = await post({ title: "Pay rent" }, { headers, user: "bob" });
    expect(otherUser.status).toBe(201);
    expect(otherUser.body.id).not.toBe(first.body.id);
  });

  it("lets concurrent duplicates through at most once: the rest replay or get 409 REQUEST_IN_PROGRESS", async () => {
    const user = "racer";
    const headers = { "content-type": "application/json", "idempotency-key": "double-click" };
    const results = await Promise.all(Array.from({ length: 8 }, () => post({ title: "Once" }, { headers, user })));
    const createdIds = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(createdIds.size).toBe(1);
    for (const result of results.filter((r) => r.status !== 201)) {
      expectError(result, 409, "REQUEST_IN_PROGRESS");
      expect(result.headers["retry-after"]).toBe("1");
    }
    expect((await call(list, { user })).body.items).toHaveLength(1);
  });

  it("rejects a malformed Idempotency-Key", async () => {
    const result = await post({ title: "a" }, { headers: { "content-type": "application/json", "idempotency-key": "x".repeat(129) } });
    expectError(result, 400, "VALIDATION_FAILED");
  });
});

describe("identity", () => {
  it("answers 401 when the authorizer claims are missing", async () => {
    expectError(await call(list, { claims: null }), 401, "UNAUTHORIZED");
    expectError(await post({ title: "a" }, { claims: null }), 401, "UNAUTHORIZED");
  });

  it("answers 401 for an ID token (token_use id) and for a token without sub", async () => {
    expectError(await call(list, { claims: { ...accessClaims("alice"), token_use: "id" } }), 401, "UNAUTHORIZED");
    const { sub: _sub, ...noSub } = accessClaims("alice");
    expectError(await call(list, { claims: noSub }), 401, "UNAUTHORIZED");
  });
});

describe("GET /todos", () => {
  const user = "lister";
  beforeAll(async () => {
    for (let i = 0; i < 5; i++) await post({ title: `item ${i}`, completed: i < 2 }, { user });
  });

  it("lists the caller's tasks with a cursor per the contract", async () => {
    const first = await call(list, { user, query: { limit: "3" } });
    expect(first.status).toBe(200);
    const page = TodoPage.parse(first.body);
    expect(page.items.map((t) => t.title)).toEqual(["item 0", "item 1", "item 2"]);
    const second = TodoPage.parse((await call(list, { user, query: { limit: "3", cursor: page.nextCursor! } })).body);
    expect(second.items.map((t) => t.title)).toEqual(["item 3", "item 4"]);
    expect(second.nextCursor).toBeNull();
  });

  it("defaults to 50 items and filters by completed", async () => {
    expect((await call(list, { user })).body.items).toHaveLength(5);
    const done = await call(list, { user, query: { completed: "true" } });
    expect(done.body.items.map((t: Todo) => t.title)).toEqual(["item 0", "item 1"]);
    const active = await call(list, { user, query: { completed: "false" } });
    expect(active.body.items).toHaveLength(3);
  });

  it.each([
    [{ limit: "0" }],
    [{ limit: "101" }],
    [{ limit: "abc" }],
    [{ limit: "1.5" }],
    [{ limit: "-1" }],
    [{ completed: "yes" }],
    [{ cursor: "not-a-cursor" }],
    [{ sort: "title" }],
  ])("rejects the query %o with 400", async (query) => {
    expectError(await call(list, { user, query }), 400, "VALIDATION_FAILED");
  });
});

describe("GET /todos/{id}", () => {
  it("returns the task, 404 for another user's or a missing one, 400 for a bad id", async () => {
    const todo = (await post({ title: "mine" })).body;
    const mine = await call(get, byId(todo.id));
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(todo);
    expectError(await call(get, { ...byId(todo.id), user: "mallory" }), 404, "NOT_FOUND");
    expectError(await call(get, byId("01ARZ3NDEKTSV4RRFFQ69G5FAV")), 404, "NOT_FOUND");
    expectError(await call(get, byId("not-an-id")), 400, "VALIDATION_FAILED");
  });
});

describe("PATCH /todos/{id}", () => {
  it("updates fields and bumps the version", async () => {
    const todo = (await post({ title: "draft" })).body;
    const result = await patch(todo.id, { title: "final", completed: true });
    expect(result.status).toBe(200);
    expect(Todo.parse(result.body)).toMatchObject({ title: "final", completed: true, version: 2 });
  });

  it("honours If-Match: 409 VERSION_CONFLICT with the current version", async () => {
    const todo = (await post({ title: "contended" })).body;
    const withMatch = (version: string) => ({ headers: { "content-type": "application/json", "if-match": version } });
    expect((await patch(todo.id, { order: 1 }, withMatch("1"))).status).toBe(200);
    const conflict = await patch(todo.id, { order: 2 }, withMatch('"1"'));
    expectError(conflict, 409, "VERSION_CONFLICT");
    expect(conflict.body.error.currentVersion).toBe(2);
    expectError(await patch(todo.id, { order: 2 }, withMatch("soon")), 400, "VALIDATION_FAILED");
  });

  it.each([
    ["an empty patch", {}],
    ["an unknown field", { colour: "red" }],
    ["a client-set version", { version: 5 }],
    ["a client-set id", { id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }],
    ["an empty title", { title: " " }],
    ["a string completed", { completed: "true" }],
  ])("rejects %s with 400", async (_, json) => {
    const todo = (await post({ title: "stable" })).body;
    expectError(await patch(todo.id, json), 400, "VALIDATION_FAILED");
    expect((await call(get, byId(todo.id))).body).toEqual(todo);
  });

  it("answers 404 for a missing or another user's task, without creating it", async () => {
    const todo = (await post({ title: "alice's" })).body;
    expectError(await patch(todo.id, { title: "mallory's now" }, { user: "mallory" }), 404, "NOT_FOUND");
    expect((await call(get, byId(todo.id))).body.title).toBe("alice's");
    expectError(await patch("01ARZ3NDEKTSV4RRFFQ69G5FAV", { title: "x" }), 404, "NOT_FOUND");
  });
});

describe("DELETE /todos/{id}", () => {
  it("deletes with 204, then 404", async () => {
    const todo = (await post({ title: "bye" })).body;
    const result = await call(remove, { method: "DELETE", ...byId(todo.id) });
    expect(result.status).toBe(204);
    expect(result.body).toBeUndefined();
    expectError(await call(remove, { method: "DELETE", ...byId(todo.id) }), 404, "NOT_FOUND");
    expectError(await call(get, byId(todo.id)), 404, "NOT_FOUND");
  });

  it("refuses a stale If-Match and another user's task", async () => {
    const todo = (await post({ title: "guarded" })).body;
    await patch(todo.id, { completed: true });
    expectError(await call(remove, { method: "DELETE", ...byId(todo.id), headers: { "if-match": "1" } }), 409, "VERSION_CONFLICT");
    expectError(await call(remove, { method: "DELETE", ...byId(todo.id), user: "mallory" }), 404, "NOT_FOUND");
    expect((await call(get, byId(todo.id))).status).toBe(200);
  });
});

describe("DELETE /todos?completed=true", () => {
  it("clears the caller's completed tasks and says how many", async () => {
    const user = "clearer";
    await post({ title: "keep" }, { user });
    await post({ title: "drop 1", completed: true }, { user });
    await post({ title: "drop 2", completed: true }, { user });
    const result = await call(clearCompleted, { method: "DELETE", user, query: { completed: "true" } });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ deleted: 2 });
    expect((await call(list, { user })).body.items.map((t: Todo) => t.title)).toEqual(["keep"]);
  });

  it("clears one list's completed tasks with ?listId= (404 for a list that is not the caller's)", async () => {
    const user = "list-clearer";
    const work = (await call(createList, { method: "POST", path: "/lists", user, json: { name: "Work" } })).body;
    await post({ title: "work done", completed: true, listId: work.id }, { user });
    await post({ title: "home done", completed: true }, { user });
    const result = await call(clearCompleted, { method: "DELETE", user, query: { completed: "true", listId: work.id } });
    expect(result.body).toEqual({ deleted: 1 });
    expect((await call(list, { user })).body.items.map((t: Todo) => t.title)).toEqual(["home done"]);
    expectError(await call(clearCompleted, { method: "DELETE", user: "mallory", query: { completed: "true", listId: work.id } }), 404, "NOT_FOUND");
    expectError(await call(clearCompleted, { method: "DELETE", user, query: { completed: "true", listId: "not a list id!" } }), 400, "VALIDATION_FAILED");
  });

  it("refuses a bare DELETE /todos or completed=false", async () => {
    expectError(await call(clearCompleted, { method: "DELETE" }), 400, "VALIDATION_FAILED");
    expectError(await call(clearCompleted, { method: "DELETE", query: { completed: "false" } }), 400, "VALIDATION_FAILED");
  });
});

describe("failures of the storage layer", () => {
  it("answers 500 INTERNAL with only a request id when the table is missing", async () => {
    process.env.TODOS_TABLE_NAME = "NoSuchTable";
    resetRuntime();
    try {
      const result = await call(list, {});
      expectError(result, 500, "INTERNAL");
      expect(result.body.error.message).toBe("Internal error");
      expect(JSON.stringify(result.body)).not.toContain("NoSuchTable");
    } finally {
      process.env.TODOS_TABLE_NAME = tables.todos;
      resetRuntime();
    }
  });

  it("answers 503 before the function's deadline when DynamoDB accepts but never answers", async () => {
    const sockets: import("node:net").Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    process.env.DYNAMODB_ENDPOINT = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    resetRuntime();
    try {
      const started = Date.now();
      const result = await call(list, { remainingMs: 1_200 });
      expectError(result, 503, "SERVICE_UNAVAILABLE");
      expect(result.headers["retry-after"]).toBe("1");
      expect(Date.now() - started).toBeLessThan(1_200);
    } finally {
      process.env.DYNAMODB_ENDPOINT = tables.endpoint;
      resetRuntime();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("answers 503 with Retry-After, promptly, when DynamoDB is unreachable: the client's own failure, before the deadline", async () => {
    // Two ways to a 503 here: the DynamoDB client gives up (each attempt's connection is
    // refused at once) and the error is mapped, or the wrapper's deadline fires half a second
    // before the function's timeout. "Promptly" means the first: the answer must carry the
    // client's own error, after all its attempts, while the deadline is still far away.
    process.env.DYNAMODB_ENDPOINT = "http://127.0.0.1:9"; // discard port: nothing listens there
    resetRuntime();
    const warn = vi.spyOn(logger, "warn");
    try {
      const result = await post({ title: "lost?" });
      expectError(result, 503, "SERVICE_UNAVAILABLE");
      expect(result.headers["retry-after"]).toBe("1");
      expect(warn).toHaveBeenCalledTimes(1);
      const [message, { error }] = warn.mock.calls[0] as unknown as [string, { error: Error & { code?: string; $metadata?: { attempts?: number } } }];
      expect(message).toBe("Storage unavailable");
      expect(error.code).toBe("ECONNREFUSED");
      expect(error.$metadata?.attempts).toBe(3);
    } finally {
      warn.mockRestore();
      process.env.DYNAMODB_ENDPOINT = tables.endpoint;
      resetRuntime();
    }
  });
});
