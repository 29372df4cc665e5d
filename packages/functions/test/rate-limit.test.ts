/**
 * The HTTP wrapper holds every route to the caller's fair share (core/user-rate-limiter.ts), on
 * DynamoDB Local, with a small limit: past it a request is 429 TOO_MANY_REQUESTS with Retry-After
 * in the error envelope, and it does nothing (a create stores nothing); a malformed request takes
 * from the share too; another user keeps theirs.
 */
import { randomUUID } from "node:crypto";
import { createDocumentClient, TodoRepository } from "@tasks/core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectError, invoke, useHandlerTables, type Answer } from "./invoke.js";

const LIMIT = 3;
const WINDOW_SECONDS = 10;
const tables = useHandlerTables({ USER_RATE_LIMIT_REQUESTS: String(LIMIT), USER_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS) });
let todos: TodoRepository;

beforeAll(() => {
  todos = new TodoRepository(createDocumentClient({ endpoint: tables.endpoint }), tables.todos);
});

const freshUser = () => `limited-${randomUUID().slice(0, 8)}`;

/** Sends `send` until the first 429; a fixed window lets at most one share through on each side of a boundary. */
async function untilLimited(send: () => Promise<Answer>): Promise<{ passed: Answer[]; limited: Answer }> {
  const passed: Answer[] = [];
  for (let i = 0; i <= 2 * LIMIT; i++) {
    const answer = await send();
    if (answer.status === 429) return { passed, limited: answer };
    passed.push(answer);
  }
  throw new Error(`no 429 after ${2 * LIMIT + 1} requests`);
}

describe(`the per-user rate limit (${LIMIT} per ${WINDOW_SECONDS} s)`, () => {
  it("answers 429 TOO_MANY_REQUESTS with Retry-After past the share, and a refused create stores nothing", async () => {
    const user = freshUser();
    const { passed, limited } = await untilLimited(() => invoke("POST", "/todos", { user, json: { title: "one more" } }));
    expect(passed.length).toBeGreaterThanOrEqual(LIMIT);
    expect(passed.map((answer) => answer.status)).toEqual(passed.map(() => 201));
    expectError(limited, 429, "TOO_MANY_REQUESTS");
    const retryAfter = Number(limited.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(limited.headers["x-request-id"]).toBe(limited.body.error.requestId);
    const stored = await todos.list(user, { limit: 100 });
    expect(stored.items).toHaveLength(passed.length);
  });

  it("counts malformed requests too, and leaves other users their share", async () => {
    const [flooder, other] = [freshUser(), freshUser()];
    const { passed } = await untilLimited(() => invoke("POST", "/todos", { user: flooder, json: { title: "" } }));
    expect(passed.map((answer) => answer.status)).toEqual(passed.map(() => 400));
    expectError(await invoke("GET", "/lists", { user: flooder }), 429, "TOO_MANY_REQUESTS");
    expect((await invoke("GET", "/lists", { user: other })).status).toBe(200);
  });
});
