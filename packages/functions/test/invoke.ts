/**
 * Calling the real handlers with API Gateway v2 events, for the v2 test files: one route's handler
 * by method and path, the caller named by user, a JSON body, and the answer parsed.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { createTestTables } from "../../local/test-support/tables.js";
import type { ApiHandler } from "../src/http-handler.js";
import { resetRuntime } from "../src/runtime.js";
import { accessClaims, apiEvent, lambdaContext, type EventOptions } from "./api-event.js";
import { handler as listTodos } from "../src/todos/list.js";
import { handler as createTodo } from "../src/todos/create.js";
import { handler as completeAll } from "../src/todos/complete-all.js";
import { handler as clearCompleted } from "../src/todos/clear-completed.js";
import { handler as getTodo } from "../src/todos/get.js";
import { handler as updateTodo } from "../src/todos/update.js";
import { handler as removeTodo } from "../src/todos/remove.js";
import { handler as listLists } from "../src/lists/list.js";
import { handler as createList } from "../src/lists/create.js";
import { handler as updateList } from "../src/lists/update.js";
import { handler as removeList } from "../src/lists/remove.js";
import { handler as syncPull } from "../src/sync/pull.js";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

export interface Request {
  user?: string;
  json?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** What the function has left of its 10 s (the wrapper's deadline and long work's budget). */
  remainingMs?: number;
  /** Or what it has left at each call of getRemainingTimeInMillis (the wrapper's first, then long work's). */
  remaining?: (call: number) => number;
}

const handlers: Record<string, ApiHandler> = {
  "GET /todos": listTodos,
  "POST /todos": createTodo,
  "PATCH /todos": completeAll,
  "DELETE /todos": clearCompleted,
  "GET /todos/{id}": getTodo,
  "PATCH /todos/{id}": updateTodo,
  "DELETE /todos/{id}": removeTodo,
  "GET /lists": listLists,
  "POST /lists": createList,
  "PATCH /lists/{listId}": updateList,
  "DELETE /lists/{listId}": removeList,
  "GET /sync": syncPull,
};

/** `invoke("PATCH", "/lists/01H…", …)`: the route is found as API Gateway would match it. */
export async function invoke(method: string, path: string, request: Request = {}): Promise<Answer> {
  const segments = path.split("/");
  const [routePath, pathParameters] =
    segments.length === 3
      ? [`/${segments[1]}/{${segments[1] === "lists" ? "listId" : "id"}}`, { [segments[1] === "lists" ? "listId" : "id"]: segments[2]! }]
      : [path, undefined];
  const handler = handlers[`${method} ${routePath}`];
  if (!handler) throw new Error(`No route ${method} ${routePath}`);
  const { user = "alice", json, query, headers = {}, remainingMs, remaining } = request;
  const event = apiEvent({
    method,
    path,
    routePath,
    ...(pathParameters ? { pathParameters } : {}),
    ...(query ? { query } : {}),
    claims: accessClaims(user),
    headers: json !== undefined ? { "content-type": "application/json", ...headers } : headers,
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  } as EventOptions);
  const context = lambdaContext();
  if (remainingMs !== undefined) {
    const deadline = Date.now() + remainingMs;
    context.getRemainingTimeInMillis = () => deadline - Date.now();
  }
  if (remaining) {
    let calls = 0;
    context.getRemainingTimeInMillis = () => remaining(++calls);
  }
  const result = await handler(event, context);
  return {
    status: result.statusCode ?? 200,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: result.body ? JSON.parse(result.body) : undefined,
  };
}

export function expectError(answer: Answer, status: number, code: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body.error.code).toBe(code);
  expect(typeof answer.body.error.message).toBe("string");
  expect(answer.body.error.requestId).toBeTruthy();
  expect(JSON.stringify(answer.body)).not.toMatch(/\bat .+\.(ts|js):\d+/); // never a stack
}

/** Fresh tables for the file and the handlers' runtime pointed at them; `env` for extra settings. */
export function useHandlerTables(env: Record<string, string> = {}) {
  const fixture = {} as Awaited<ReturnType<typeof createTestTables>>;
  beforeAll(async () => {
    Object.assign(fixture, await createTestTables());
    Object.assign(process.env, {
      TODOS_TABLE_NAME: fixture.todos,
      IDEMPOTENCY_TABLE_NAME: fixture.idempotency,
      DYNAMODB_ENDPOINT: fixture.endpoint,
      ...env,
    });
    resetRuntime();
  });
  afterAll(async () => {
    for (const name of Object.keys(env)) delete process.env[name];
    resetRuntime();
    await fixture.drop();
  });
  return fixture;
}
