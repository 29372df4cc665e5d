/**
 * IAM sufficiency: least privilege fails closed, so nothing else shows that the actions the route
 * table grants (routes.ts → infra/api.ts) are enough. Each route's handler — loaded from the route
 * table, as infra wires it — runs every branch it has (successes, idempotency, transactions,
 * conditional-check failures) against DynamoDB Local, while a middleware on the runtime's client
 * records every request as it goes on the wire (its X-Amz-Target and JSON body). Each request is
 * turned into the IAM actions AWS authorises it by, on the table it names, and each must be one
 * the route grants on that table.
 *
 * Generic over the route table: a route without a scenario below fails, so a new route cannot
 * slip through without one.
 */
import { createDocumentClient, TodoRepository, type DynamoDBClient, type Todo } from "@tasks/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTables } from "../../local/test-support/tables.js";
import type { ApiHandler } from "../src/http-handler.js";
import { routeKey, routes, type Route } from "../src/routes.js";
import { getRuntime, resetRuntime } from "../src/runtime.js";
import { accessClaims, apiEvent, lambdaContext } from "./api-event.js";

/** Small, so that the cap's branch (TOO_MANY_TODOS) is cheap to reach. */
const CAP = 3;

interface SentRequest {
  operation: string;
  body: Record<string, unknown>;
}

/** A grant: one IAM action on one table, by the route table's name for it ("todos", "idempotency"). */
type Grant = `${string} on ${string}`;

let tables: Awaited<ReturnType<typeof createTestTables>>;
/** Seeds and reads test data on a client of its own, so that none of it is recorded. */
let seeder: TodoRepository;
const sent: SentRequest[] = [];
/** When set, a request waits for the promise this returns before it goes out. */
let holdRequest: ((request: SentRequest) => Promise<void> | undefined) | undefined;

beforeAll(async () => {
  tables = await createTestTables();
  Object.assign(process.env, {
    TODOS_TABLE_NAME: tables.todos,
    IDEMPOTENCY_TABLE_NAME: tables.idempotency,
    DYNAMODB_ENDPOINT: tables.endpoint,
    MAX_TODOS_PER_USER: String(CAP),
  });
  resetRuntime();
  record(getRuntime().dynamo);
  seeder = new TodoRepository(createDocumentClient({ endpoint: tables.endpoint }), tables.todos, { maxTodosPerUser: CAP });
});

afterAll(async () => {
  delete process.env.MAX_TODOS_PER_USER;
  resetRuntime();
  await tables?.drop();
});

/**
 * Records each request once (retries are the same request), after serialisation: what is
 * recorded is what DynamoDB receives. The document client and Powertools' persistence layer
 * send through this same client, hence through this middleware.
 */
function record(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: string | Uint8Array };
      const target = request.headers["x-amz-target"] ?? "";
      const body = typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body);
      const entry: SentRequest = {
        operation: target.replace(/^DynamoDB_\d+\./, ""),
        body: JSON.parse(body || "{}") as Record<string, unknown>,
      };
      sent.push(entry);
      await holdRequest?.(entry);
      return next(args);
    },
    { step: "build", name: "recordIamRequests" },
  );
}

/** The table names the functions get, by the route table's name for each. */
const tableKey = (tableName: unknown): string => {
  if (tableName === tables.todos) return "todos";
  if (tableName === tables.idempotency) return "idempotency";
  return `an unknown table (${String(tableName)})`;
};

/**
 * The IAM actions AWS authorises a request by. Transactions have no action of their own: each
 * item is authorised by its own (Put → PutItem, Update → UpdateItem, Delete → DeleteItem,
 * ConditionCheck → ConditionCheckItem; Get → GetItem for TransactGetItems).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
function grantsNeeded({ operation, body }: SentRequest): Grant[] {
  const single = ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan"];
  if (single.includes(operation)) return [`dynamodb:${operation} on ${tableKey(body.TableName)}`];
  const itemActions: Record<string, string> = {
    Put: "PutItem",
    Update: "UpdateItem",
    Delete: "DeleteItem",
    ConditionCheck: "ConditionCheckItem",
    Get: "GetItem",
  };
  if (operation === "TransactWriteItems" || operation === "TransactGetItems") {
    return (body.TransactItems as Record<string, { TableName: string }>[]).flatMap((item) =>
      Object.entries(item).map(([kind, action]) => `dynamodb:${itemActions[kind] ?? `${kind}?`} on ${tableKey(action.TableName)}` as Grant),
    );
  }
  if (operation === "BatchGetItem" || operation === "BatchWriteItem") {
    return Object.keys(body.RequestItems as object).map((table) => `dynamodb:${operation} on ${tableKey(table)}` as Grant);
  }
  return [`dynamodb:${operation} (not mapped to IAM actions by this test) on ${tableKey(body.TableName)}`];
}

function granted(route: Route): Set<Grant> {
  return new Set(
    Object.entries(route.permissions).flatMap(([table, actions]) => (actions ?? []).map((action) => `${action} on ${table}` as Grant)),
  );
}

// ---------------------------------------------------------------------------------------------

interface CallOptions {
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  json?: unknown;
  user?: string;
}

type Call = (options?: CallOptions) => Promise<{ status: number; body: any }>;

async function handlerOf(route: Route): Promise<ApiHandler> {
  // The module the route table names, as infra/api.ts points the function at it.
  const module = new URL(`../src/${route.handler}.ts`, import.meta.url).href;
  return ((await import(/* @vite-ignore */ module)) as { handler: ApiHandler }).handler;
}

function caller(route: Route, handler: ApiHandler): Call {
  return async ({ path = route.path, json, user = "iam-user", headers, ...rest } = {}) => {
    const event = apiEvent({
      method: route.method,
      path,
      routePath: route.path,
      claims: accessClaims(user),
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      ...rest,
    });
    const result = await handler(event, lambdaContext());
    return { status: result.statusCode ?? 200, body: result.body ? JSON.parse(result.body) : undefined };
  };
}

const byId = (todo: Pick<Todo, "id">) => ({ path: `/todos/${todo.id}`, pathParameters: { id: todo.id } });
let users = 0;
const freshUser = () => `iam-user-${++users}`;

interface Branch {
  name: string;
  run(call: Call): Promise<void>;
}

/** Every branch each route has, by route key. A route of the table missing here fails. */
const scenarios: Record<string, Branch[]> = {
  "GET /todos": [
    {
      name: "an empty list",
      run: async (call) => expect((await call({ user: freshUser() })).status).toBe(200),
    },
    {
      name: "a page, the next page by cursor, filtered by completed",
      run: async (call) => {
        const user = freshUser();
        for (let i = 0; i < 3; i++) await seeder.create(user, { title: `t${i}`, completed: i > 0 });
        const first = await call({ user, query: { limit: "1" } });
        expect(first.status).toBe(200);
        const next = await call({ user, query: { limit: "1", cursor: first.body.nextCursor, completed: "true" } });
        expect(next.status).toBe(200);
      },
    },
  ],
  "POST /todos": [
    {
      name: "a create (the task and the user's counter in one transaction)",
      run: async (call) => expect((await call({ user: freshUser(), json: { title: "a" } })).status).toBe(201),
    },
    {
      name: "a create past the cap (the transaction's condition fails)",
      run: async (call) => {
        const user = freshUser();
        for (let i = 0; i < CAP; i++) await seeder.create(user, { title: `t${i}` });
        const over = await call({ user, json: { title: "one too many" } });
        expect([over.status, over.body.error.code]).toEqual([409, "TOO_MANY_TODOS"]);
      },
    },
    {
      name: "a keyed create, its replay, and the same key with another body",
      run: async (call) => {
        const user = freshUser();
        const headers = { "idempotency-key": "key-1" };
        expect((await call({ user, headers, json: { title: "keyed" } })).status).toBe(201);
        expect((await call({ user, headers, json: { title: "keyed" } })).status).toBe(201);
        const reused = await call({ user, headers, json: { title: "another" } });
        expect([reused.status, reused.body.error.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
      },
    },
    {
      name: "a keyed create that fails (past the cap: the idempotency record is deleted)",
      run: async (call) => {
        const user = freshUser();
        for (let i = 0; i < CAP; i++) await seeder.create(user, { title: `t${i}` });
        const over = await call({ user, headers: { "idempotency-key": "key-2" }, json: { title: "one too many" } });
        expect([over.status, over.body.error.code]).toEqual([409, "TOO_MANY_TODOS"]);
      },
    },
    {
      name: "a copy of a keyed create that is still in progress",
      run: async (call) => {
        const user = freshUser();
        const headers = { "idempotency-key": "key-3" };
        // Hold the first create's transaction until its copy has been answered.
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let held!: () => void;
        const holding = new Promise<void>((resolve) => (held = resolve));
        holdRequest = (request) => {
          if (request.operation !== "TransactWriteItems") return undefined;
          holdRequest = undefined;
          held();
          return released;
        };
        const first = call({ user, headers, json: { title: "slow" } });
        await holding;
        const copy = await call({ user, headers, json: { title: "slow" } });
        expect([copy.status, copy.body.error.code]).toEqual([409, "REQUEST_IN_PROGRESS"]);
        release();
        expect((await first).status).toBe(201);
      },
    },
  ],
  "DELETE /todos": [
    {
      name: "nothing to clear",
      run: async (call) => expect((await call({ user: freshUser(), query: { completed: "true" } })).body).toEqual({ deleted: 0 }),
    },
    {
      name: "completed tasks cleared in transactions with one counter change",
      run: async (call) => {
        const user = freshUser();
        for (let i = 0; i < 3; i++) await seeder.create(user, { title: `t${i}`, completed: i !== 1 });
        expect((await call({ user, query: { completed: "true" } })).body).toEqual({ deleted: 2 });
      },
    },
    {
      name: "a task un-completed meanwhile survives (a delete's condition fails, the clear tries again)",
      run: async (call) => {
        const user = freshUser();
        const done: Todo[] = [];
        for (let i = 0; i < 2; i++) done.push(await seeder.create(user, { title: `t${i}`, completed: true }));
        holdRequest = (request) => {
          if (request.operation !== "TransactWriteItems") return undefined;
          holdRequest = undefined;
          return seeder.patch(user, done[0]!.id, { completed: false }).then(() => undefined);
        };
        expect((await call({ user, query: { completed: "true" } })).body).toEqual({ deleted: 1 });
      },
    },
  ],
  "GET /todos/{id}": [
    {
      name: "a task",
      run: async (call) => {
        const user = freshUser();
        expect((await call({ user, ...byId(await seeder.create(user, { title: "a" })) })).status).toBe(200);
      },
    },
    {
      name: "no such task",
      run: async (call) => expect((await call({ user: freshUser(), ...byId({ id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }) })).status).toBe(404),
    },
  ],
  "PATCH /todos/{id}": [
    {
      name: "a patch, with and without If-Match",
      run: async (call) => {
        const user = freshUser();
        const todo = await seeder.create(user, { title: "a" });
        expect((await call({ user, ...byId(todo), json: { completed: true } })).status).toBe(200);
        expect((await call({ user, ...byId(todo), json: { title: "b" }, headers: { "if-match": "2" } })).status).toBe(200);
      },
    },
    {
      name: "a stale If-Match (the condition fails; the current version is returned)",
      run: async (call) => {
        const user = freshUser();
        const todo = await seeder.create(user, { title: "a" });
        const stale = await call({ user, ...byId(todo), json: { title: "b" }, headers: { "if-match": "7" } });
        expect([stale.status, stale.body.error.currentVersion]).toEqual([409, 1]);
      },
    },
    {
      name: "no such task",
      run: async (call) =>
        expect((await call({ user: freshUser(), ...byId({ id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }), json: { title: "b" } })).status).toBe(404),
    },
  ],
  "DELETE /todos/{id}": [
    {
      name: "a delete, with and without If-Match (the task and the counter in one transaction)",
      run: async (call) => {
        const user = freshUser();
        const [a, b] = [await seeder.create(user, { title: "a" }), await seeder.create(user, { title: "b" })];
        expect((await call({ user, ...byId(a) })).status).toBe(204);
        expect((await call({ user, ...byId(b), headers: { "if-match": "1" } })).status).toBe(204);
      },
    },
    {
      name: "a stale If-Match, and no such task (the transaction's condition fails)",
      run: async (call) => {
        const user = freshUser();
        const todo = await seeder.create(user, { title: "a" });
        expect((await call({ user, ...byId(todo), headers: { "if-match": "7" } })).status).toBe(409);
        expect((await call({ user, ...byId({ id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }) })).status).toBe(404);
      },
    },
  ],
};

/**
 * Grants no branch here exercises, each with the reason it stays. Powertools' idempotency reads
 * the existing record with GetItem only when a failed conditional PutItem comes back without
 * the item (it asks for ReturnValuesOnConditionCheckFailure: ALL_OLD, which DynamoDB honours):
 * IdempotencyHandler falls back to persistenceStore.getRecord().
 */
const GRANTED_FOR_FALLBACKS: Record<string, Grant[]> = {
  "POST /todos": ["dynamodb:GetItem on idempotency"],
};

describe("IAM: the route table grants every DynamoDB action its handler sends", () => {
  it("has a scenario for every route of the table, and none for a route it does not have", () => {
    expect(Object.keys(scenarios).sort()).toEqual(routes.map(routeKey).sort());
  });

  it.for(routes.map((route) => [routeKey(route), route] as const))("%s", async ([key, route]) => {
    const branches = scenarios[key];
    expect(branches, `no IAM scenario for ${key}: add its branches to \`scenarios\``).toBeDefined();
    const call = caller(route, await handlerOf(route));
    const allowed = granted(route);
    const used = new Set<Grant>();
    for (const branch of branches!) {
      sent.length = 0;
      await branch.run(call);
      holdRequest = undefined;
      expect(sent.length, `${key}, ${branch.name}: sent nothing to DynamoDB`).toBeGreaterThan(0);
      const needed = new Set(sent.flatMap(grantsNeeded));
      const missing = [...needed].filter((grant) => !allowed.has(grant));
      expect(missing, `${key}, ${branch.name}: sent requests the route table does not grant`).toEqual([]);
      for (const grant of needed) used.add(grant);
    }
    // And least privilege the other way: nothing granted that no branch needs.
    const unused = [...allowed].filter((grant) => !used.has(grant));
    expect(unused, `${key}: granted, but no branch sends it`).toEqual(GRANTED_FOR_FALLBACKS[key] ?? []);
  });
});
