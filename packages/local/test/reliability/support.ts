/**
 * Shared setup of the reliability and security suite (issue 7): an API-only offline stack
 * (cognito-local, the local gateway, the real handlers, DynamoDB Local), users signed up the
 * way the SPA does it, a small HTTP client with a time bound on every request, and the checks
 * every error body must pass. One stack per test file (the handlers' settings are per process).
 */
import { randomUUID } from "node:crypto";
import { Todo, TodoPage } from "@tasks/core/contract";
import { expect, inject } from "vitest";
import { startLocalStack, type LocalStack, type LocalStackOptions } from "../../src/stack.js";
import { signUpAndSignIn, uniqueEmail, type Tokens } from "../../test-support/cognito-users.js";
import "../../test-support/provided-context.js";

/** High enough that tests measure the app, not the gateway's token bucket. */
export const NO_THROTTLE = { rateLimit: 100_000, burstLimit: 100_000 } as const;
/**
 * The per-user rate limit lifted likewise: these tests send far more requests as one user than a
 * person would. fair-share.test.ts runs the deployed limit.
 */
export const NO_USER_RATE_LIMIT = { USER_RATE_LIMIT_REQUESTS: "1000000" } as const;
/** Every request is bounded: longer than the worst case of the DynamoDB client (3 × 2.5 s). */
export const REQUEST_TIMEOUT_MS = 12_000;

export type User = Tokens & { sub: string; email: string };

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  body: unknown;
  ms: number;
}

export interface CallOptions {
  /** A value is sent as JSON; a string or Buffer is sent as is (for malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The whole Authorization header; overrides the token. */
  authorization?: string;
  timeoutMs?: number;
}

export interface Harness {
  stack: LocalStack;
  signUp(name: string): Promise<User>;
  call(token: string | undefined, method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  create(user: User, input: Record<string, unknown>): Promise<Todo>;
  /** Every task of the user, paging through the list with the largest page. */
  listAll(user: User, query?: string): Promise<Todo[]>;
  stop(): Promise<void>;
}

export type HarnessOptions = Omit<LocalStackOptions, "web" | "log"> & {
  /** Lines the stack logs (gateway errors, confirmation codes); dropped by default. */
  log?: (line: string) => void;
};

/**
 * Starts an API-only stack on free loopback ports with the throttle and the per-user rate limit
 * lifted (pass `throttle` to choose one, `throttle: undefined` for the deployed stage's; a
 * USER_RATE_LIMIT_REQUESTS in `handlerEnvironment` for the per-user limit). Without a `dataDir` it uses
 * the run's shared DynamoDB Local with tables of its own.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const suffix = randomUUID().slice(0, 8);
  const ownDynamoDb = options.dataDir !== undefined || options.dynamoDbEndpoint !== undefined;
  const stack = await startLocalStack({
    throttle: NO_THROTTLE,
    ...(ownDynamoDb
      ? {}
      : {
          dynamoDbEndpoint: inject("dynamoEndpoint"),
          tableNames: { todos: `Todos-${suffix}`, idempotency: `Idempotency-${suffix}` },
        }),
    ...options,
    handlerEnvironment: { ...NO_USER_RATE_LIMIT, ...options.handlerEnvironment },
    log: options.log ?? (() => undefined),
    web: false,
  });

  const call: Harness["call"] = async (token, method, path, callOptions = {}) => {
    const headers = new Headers(callOptions.headers);
    const authorization = callOptions.authorization ?? (token === undefined ? undefined : `Bearer ${token}`);
    if (authorization !== undefined) headers.set("authorization", authorization);
    let body: string | Buffer | undefined;
    if (callOptions.body !== undefined) {
      body =
        typeof callOptions.body === "string" || Buffer.isBuffer(callOptions.body)
          ? callOptions.body
          : JSON.stringify(callOptions.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(callOptions.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed, ms: performance.now() - started };
  };

  const harness: Harness = {
    stack,
    async signUp(name) {
      const email = uniqueEmail(name);
      return { ...(await signUpAndSignIn(stack, email)), email };
    },
    call,
    async create(user, input) {
      const response = await call(user.accessToken, "POST", "/todos", { body: input });
      expect(response.status, response.text).toBe(201);
      return Todo.parse(response.body);
    },
    async listAll(user, query = "") {
      const items: Todo[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 1_000; pages++) {
        const params = new URLSearchParams(query);
        params.set("limit", "100");
        if (cursor) params.set("cursor", cursor);
        const response = await call(user.accessToken, "GET", `/todos?${params}`);
        expect(response.status, response.text).toBe(200);
        const page = TodoPage.parse(response.body);
        items.push(...page.items);
        cursor = page.nextCursor;
        if (cursor === null) return items;
      }
      throw new Error("listAll: more than 1 000 pages");
    },
    stop: () => stack.stop(),
  };
  return harness;
}

/**
 * What every error response must look like: the contract's envelope (or API Gateway's own
 * `{"message"}`), no stack trace or source path, and none of the caller's secrets echoed.
 */
export function expectSafeError(response: ApiResponse, secrets: readonly string[] = []): void {
  expect(response.status).toBeGreaterThanOrEqual(400);
  for (const secret of secrets) {
    expect(response.text).not.toContain(secret);
    // The signature alone is the secret part of a JWT; check it is not echoed on its own either.
    const signature = secret.split(".")[2];
    if (signature) expect(response.text).not.toContain(signature);
  }
  expect(response.text).not.toMatch(/\bat .+:\d+:\d+|node_modules|\.ts\b|\.js\b|"stack"/);
  const body = response.body as { error?: { code?: unknown; message?: unknown }; message?: unknown } | undefined;
  if (body?.error) {
    expect(body.error.code).toEqual(expect.any(String));
    expect(body.error.message).toEqual(expect.any(String));
  } else {
    expect(body?.message, `unexpected error body: ${response.text}`).toEqual(expect.any(String));
  }
}

/** The `error.code` of a contract error body. */
export function errorCode(response: ApiResponse): string | undefined {
  return (response.body as { error?: { code?: string } } | undefined)?.error?.code;
}

export { inPool } from "../../test-support/pool.js";

/** Statuses and their counts, e.g. { "201": 1990, "503": 10 }, for readable assertions. */
export function tally(statuses: readonly number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
