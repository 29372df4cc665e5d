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
import { DeleteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  createDocumentClient,
  ListRepository,
  todoKey,
  TodoRepository,
  type DynamoDBClient,
  type List,
  type Todo,
} from "@tasks/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTables } from "../../local/test-support/tables.js";
import type { ApiHandler } from "../src/http-handler.js";
import { routeKey, routes, type Route } from "../src/routes.js";
import { getRuntime, resetRuntime } from "../src/runtime.js";
import { accessClaims, apiEvent, lambdaContext } from "./api-event.js";

/** Small, so that the caps' branches (TOO_MANY_TODOS, TOO_MANY_LISTS) are cheap to reach. */
const CAP = 3;
/** Lists per user, the default one included. */
const LIST_CAP = 3;

interface SentRequest {
  operation: string;
  body: Record<string, unknown>;
}

/** A grant: one IAM action on one table, by the route table's name for it ("todos", "idempotency"). */
type Grant = `${string} on ${string}`;

let tables: Awaited<ReturnType<typeof createTestTables>>;
/** Seed and change test data on a client of their own, so that none of it is recorded. */
let seederDb: DynamoDBDocumentClient;
let seeder: TodoRepository;
let seedLists: ListRepository;
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
    MAX_LISTS_PER_USER: String(LIST_CAP),
  });
  resetRuntime();
  record(getRuntime().dynamo);
  seederDb = createDocumentClient({ endpoint: tables.endpoint });
  seeder = new TodoRepository(seederDb, tables.todos, { maxTodosPerUser: CAP });
  seedLists = new ListRepository(seederDb, tables.todos, { maxListsPerUser: LIST_CAP });
});

afterAll(async () => {
  delete process.env.MAX_TODOS_PER_USER;
  delete process.env.MAX_LISTS_PER_USER;
  resetRuntime();
  seederDb?.destroy();
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
  /** What the function has left at each call of getRemainingTimeInMillis (the wrapper's first). */
  remaining?: (call: number) => number;
}

type Call = (options?: CallOptions) => Promise<{ status: number; body: any }>;

async function handlerOf(route: Route): Promise<ApiHandler> {
  // The module the route table names, as infra/api.ts points the function at it.
  const module = new URL(`../src/${route.handler}.ts`, import.meta.url).href;
  return ((await import(/* @vite-ignore */ module)) as { handler: ApiHandler }).handler;
}

function caller(route: Route, handler: ApiHandler): Call {
  return async ({ path = route.path, json, user = "iam-user", headers, remaining, ...rest } = {}) => {
    const event = apiEvent({
      method: route.method,
      path,
      routePath: route.path,
      claims: accessClaims(user),
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      ...rest,
    });
    const context = lambdaContext();
    if (remaining) {
      let calls = 0;
      context.getRemainingTimeInMillis = () => remaining(++calls);
    }
    const result = await handler(event, context);
    return { status: result.statusCode ?? 200, body: result.body ? JSON.parse(result.body) : undefined };
  };
}

const byId = (todo: Pick<Todo, "id">) => ({ path: `/todos/${todo.id}`, pathParameters: { id: todo.id } });
const byListId = (list: Pick<List, "id">) => ({ path: `/lists/${list.id}`, pathParameters: { listId: list.id } });
const NO_SUCH_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
let users = 0;
const freshUser = () => `iam-user-${++users}`;

/** A list of `user` with `tasks` tasks in it (seeded, so not recorded). */
async function seedList(user: string, tasks = 0, name = "Work"): Promise<{ list: List; todos: Todo[] }> {
  const list = await seedLists.create(user, { name });
  const todos: Todo[] = [];
  for (let i = 0; i < tasks; i++) todos.push(await seeder.create(user, { title: `${name} ${i}`, listId: list.id }));
  return { list, todos };
}

/** Marks a list deleted (its tombstone) and leaves its purge undone, as a DELETE cut short by its deadline does. */
async function tombstone(user: string, list: Pick<List, "id">): Promise<void> {
  expect(await seedLists.remove(user, list.id, { outOfTime: () => true })).toEqual({ purged: false });
}

/** How many requests of `operation` the branch has sent so far. */
const sentCount = (operation: string) => sent.filter((request) => request.operation === operation).length;

/** Runs `action` (on the seeders' client) just before the `nth` request of `operation` goes out, once. */
function meanwhile(operation: string, action: () => Promise<unknown>, nth = 1): void {
  let seen = 0;
  holdRequest = (request) => {
    if (request.operation !== operation || ++seen < nth) return undefined;
    holdRequest = undefined;
    return action().then(() => undefined);
  };
}

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
    {
      name: "every list, with tasks in another list and in a tombstoned one (the lists are read to hide the latter)",
      run: async (call) => {
        const user = freshUser();
        const kept = await seeder.create(user, { title: "default" });
        const { todos: work } = await seedList(user, 1);
        const { list: doomed } = await seedList(user, 1, "Doomed");
        await tombstone(user, doomed);
        const page = await call({ user });
        expect(page.body.items.map((t: Todo) => t.id)).toEqual([kept.id, work[0]!.id]);
      },
    },
    {
      name: "one list by its memberships (Query, BatchGetItem, GetItem of the list), paged and filtered",
      run: async (call) => {
        const user = freshUser();
        const { list, todos } = await seedList(user, 2);
        const first = await call({ user, query: { listId: list.id, limit: "1" } });
        expect(first.body.items.map((t: Todo) => t.id)).toEqual([todos[0]!.id]);
        const next = await call({ user, query: { listId: list.id, limit: "1", cursor: first.body.nextCursor, completed: "false" } });
        expect(next.body.items.map((t: Todo) => t.id)).toEqual([todos[1]!.id]);
      },
    },
    {
      name: "the default list only",
      run: async (call) => {
        const user = freshUser();
        const kept = await seeder.create(user, { title: "default" });
        await seedList(user, 1);
        expect((await call({ user, query: { listId: "default" } })).body.items.map((t: Todo) => t.id)).toEqual([kept.id]);
      },
    },
    {
      name: "a tombstoned list, and no such list (404 after the read)",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user, 1);
        await tombstone(user, list);
        expect((await call({ user, query: { listId: list.id } })).status).toBe(404);
        expect((await call({ user, query: { listId: NO_SUCH_ID } })).status).toBe(404);
      },
    },
  ],
  "POST /todos": [
    {
      name: "a create (the task and the user's counter in one transaction), also into the default list by name",
      run: async (call) => {
        const user = freshUser();
        expect((await call({ user, json: { title: "a" } })).status).toBe(201);
        expect((await call({ user, json: { title: "b", listId: "default" } })).body.listId).toBe("default");
      },
    },
    {
      name: "a create into another list (a check that it is live, and the membership, in the transaction)",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user);
        const created = await call({ user, json: { title: "a", listId: list.id } });
        expect([created.status, created.body.listId]).toEqual([201, list.id]);
      },
    },
    {
      name: "a create into a tombstoned list, and into no such list (the list's check fails)",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user);
        await tombstone(user, list);
        expect((await call({ user, json: { title: "a", listId: list.id } })).status).toBe(404);
        expect((await call({ user, json: { title: "a", listId: NO_SUCH_ID } })).status).toBe(404);
      },
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
  "PATCH /todos": [
    {
      name: "mark all complete across every list (tasks in another list make it read the lists), then reopen the completed ones",
      run: async (call) => {
        const user = freshUser();
        await seeder.create(user, { title: "default" });
        const { list: doomed } = await seedList(user, 1, "Doomed");
        await seedList(user, 1);
        await tombstone(user, doomed);
        expect((await call({ user, json: { completed: true } })).body).toEqual({ updated: 2 });
        expect((await call({ user, query: { completed: "true" }, json: { completed: false } })).body).toEqual({ updated: 2 });
      },
    },
    {
      name: "mark all in one list (GetItem of the list, Query of its memberships, BatchGetItem of its tasks)",
      run: async (call) => {
        const user = freshUser();
        await seeder.create(user, { title: "default" });
        const { list } = await seedList(user, 2);
        expect((await call({ user, query: { listId: list.id }, json: { completed: true } })).body).toEqual({ updated: 2 });
      },
    },
    {
      name: "mark all in the default list only",
      run: async (call) => {
        const user = freshUser();
        await seeder.create(user, { title: "default" });
        await seedList(user, 1);
        expect((await call({ user, query: { listId: "default" }, json: { completed: true } })).body).toEqual({ updated: 1 });
      },
    },
    {
      name: "nothing to change, a tombstoned list and no such list",
      run: async (call) => {
        const user = freshUser();
        await seeder.create(user, { title: "done", completed: true });
        expect((await call({ user, json: { completed: true } })).body).toEqual({ updated: 0 });
        const { list } = await seedList(user, 1);
        await tombstone(user, list);
        expect((await call({ user, query: { listId: list.id }, json: { completed: true } })).status).toBe(404);
        expect((await call({ user, query: { listId: NO_SUCH_ID }, json: { completed: true } })).status).toBe(404);
      },
    },
    {
      name: "a task completed meanwhile (its update's condition fails; the rest are written again)",
      run: async (call) => {
        const user = freshUser();
        const [a] = [await seeder.create(user, { title: "a" }), await seeder.create(user, { title: "b" })];
        meanwhile("TransactWriteItems", () => seeder.patch(user, a!.id, { completed: true }));
        expect((await call({ user, json: { completed: true } })).body).toEqual({ updated: 1 });
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
      name: "completed tasks in another list (with their memberships) cleared, those of a tombstoned list left to its purge",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user);
        await seeder.create(user, { title: "work", listId: list.id, completed: true });
        const { list: doomed } = await seedList(user, 0, "Doomed");
        await seeder.create(user, { title: "doomed", listId: doomed.id, completed: true });
        await tombstone(user, doomed);
        expect((await call({ user, query: { completed: "true" } })).body).toEqual({ deleted: 1 });
      },
    },
    {
      name: "a task un-completed meanwhile survives (a delete's condition fails, the clear tries again)",
      run: async (call) => {
        const user = freshUser();
        const done: Todo[] = [];
        for (let i = 0; i < 2; i++) done.push(await seeder.create(user, { title: `t${i}`, completed: true }));
        meanwhile("TransactWriteItems", () => seeder.patch(user, done[0]!.id, { completed: false }));
        expect((await call({ user, query: { completed: "true" } })).body).toEqual({ deleted: 1 });
      },
    },
  ],
  "GET /todos/{id}": [
    {
      name: "a task, and a task in another list (its list is read too)",
      run: async (call) => {
        const user = freshUser();
        expect((await call({ user, ...byId(await seeder.create(user, { title: "a" })) })).status).toBe(200);
        const { todos } = await seedList(user, 1);
        expect((await call({ user, ...byId(todos[0]!) })).status).toBe(200);
      },
    },
    {
      name: "no such task, and a task of a tombstoned list",
      run: async (call) => {
        const user = freshUser();
        expect((await call({ user, ...byId({ id: NO_SUCH_ID }) })).status).toBe(404);
        const { list, todos } = await seedList(user, 1);
        await tombstone(user, list);
        expect((await call({ user, ...byId(todos[0]!) })).status).toBe(404);
      },
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
        expect((await call({ user: freshUser(), ...byId({ id: NO_SUCH_ID }), json: { title: "b" } })).status).toBe(404),
    },
    {
      name: "a patch in another list, and one naming the list the task is already in (read, then updated in place)",
      run: async (call) => {
        const user = freshUser();
        const { list, todos } = await seedList(user, 1);
        expect((await call({ user, ...byId(todos[0]!), json: { title: "b" } })).status).toBe(200);
        expect((await call({ user, ...byId(todos[0]!), json: { title: "c", listId: list.id } })).body.version).toBe(3);
      },
    },
    {
      name: "a patch of a task of a tombstoned list (written, then hidden: 404)",
      run: async (call) => {
        const user = freshUser();
        const { list, todos } = await seedList(user, 1);
        await tombstone(user, list);
        expect((await call({ user, ...byId(todos[0]!), json: { title: "b" } })).status).toBe(404);
        expect((await call({ user, ...byId(todos[0]!), json: { listId: "default" } })).status).toBe(404);
      },
    },
    {
      name: "moves: default → a list → another list → default (the task, both memberships and both lists' checks)",
      run: async (call) => {
        const user = freshUser();
        const todo = await seeder.create(user, { title: "a" });
        const [{ list: work }, { list: home }] = [await seedList(user), await seedList(user, 0, "Home")];
        expect((await call({ user, ...byId(todo), json: { listId: work.id } })).body.listId).toBe(work.id);
        expect((await call({ user, ...byId(todo), json: { listId: home.id }, headers: { "if-match": "2" } })).body.listId).toBe(home.id);
        expect((await call({ user, ...byId(todo), json: { listId: "default", title: "b" } })).body.listId).toBe("default");
      },
    },
    {
      name: "a move into a tombstoned list and into no such list (the list's check fails), and with a stale If-Match",
      run: async (call) => {
        const user = freshUser();
        const todo = await seeder.create(user, { title: "a" });
        const { list } = await seedList(user);
        await tombstone(user, list);
        expect((await call({ user, ...byId(todo), json: { listId: list.id } })).status).toBe(404);
        expect((await call({ user, ...byId(todo), json: { listId: NO_SUCH_ID } })).status).toBe(404);
        expect((await call({ user, ...byId(todo), json: { listId: NO_SUCH_ID }, headers: { "if-match": "7" } })).status).toBe(409);
      },
    },
    {
      name: "a move racing a change of the task (the version's condition fails; it reads again and moves)",
      run: async (call) => {
        const user = freshUser();
        const todo = await seeder.create(user, { title: "a" });
        const { list } = await seedList(user);
        meanwhile("TransactWriteItems", () => seeder.patch(user, todo.id, { title: "changed" }));
        const moved = await call({ user, ...byId(todo), json: { listId: list.id } });
        expect([moved.status, moved.body.listId, moved.body.version]).toEqual([200, list.id, 3]);
      },
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
      name: "a delete in another list (its membership too, and a check of the list)",
      run: async (call) => {
        const user = freshUser();
        const { todos } = await seedList(user, 1);
        expect((await call({ user, ...byId(todos[0]!) })).status).toBe(204);
      },
    },
    {
      name: "a stale If-Match (refused after the read), no such task, and a task of a tombstoned list",
      run: async (call) => {
        const user = freshUser();
        const todo = await seeder.create(user, { title: "a" });
        expect((await call({ user, ...byId(todo), headers: { "if-match": "7" } })).status).toBe(409);
        expect((await call({ user, ...byId({ id: NO_SUCH_ID }) })).status).toBe(404);
        const { list, todos } = await seedList(user, 1);
        await tombstone(user, list);
        expect((await call({ user, ...byId(todos[0]!) })).status).toBe(404);
      },
    },
    {
      name: "a delete racing a change of the task (the transaction's condition fails; it reads again)",
      run: async (call) => {
        const user = freshUser();
        const todo = await seeder.create(user, { title: "a" });
        meanwhile("TransactWriteItems", () => seeder.patch(user, todo.id, { title: "changed" }));
        expect((await call({ user, ...byId(todo) })).status).toBe(204);
        expect([sentCount("GetItem"), sentCount("TransactWriteItems")]).toEqual([2, 2]);
      },
    },
    {
      name: "a delete racing the delete of its list (the list's check fails)",
      run: async (call) => {
        const user = freshUser();
        const { list, todos } = await seedList(user, 1);
        meanwhile("TransactWriteItems", () => tombstone(user, list));
        expect((await call({ user, ...byId(todos[0]!) })).status).toBe(404);
      },
    },
  ],
  "GET /lists": [
    {
      name: "no lists yet (the default one, without an item)",
      run: async (call) => expect((await call({ user: freshUser() })).body.items.map((l: List) => l.id)).toEqual(["default"]),
    },
    {
      name: "lists, a renamed default one and a tombstone (not shown)",
      run: async (call) => {
        const user = freshUser();
        await seedLists.patch(user, "default", { name: "Inbox" });
        const { list } = await seedList(user);
        const { list: doomed } = await seedList(user, 0, "Doomed");
        await tombstone(user, doomed);
        expect((await call({ user })).body.items.map((l: List) => l.id)).toEqual(["default", list.id]);
      },
    },
  ],
  "POST /lists": [
    {
      name: "a create (the list and the user's counter in one transaction)",
      run: async (call) => expect((await call({ user: freshUser(), json: { name: "Work" } })).status).toBe(201),
    },
    {
      name: "a create past the cap (the transaction's condition fails)",
      run: async (call) => {
        const user = freshUser();
        for (let i = 1; i < LIST_CAP; i++) await seedList(user, 0, `l${i}`);
        const over = await call({ user, json: { name: "one too many" } });
        expect([over.status, over.body.error.code]).toEqual([409, "TOO_MANY_LISTS"]);
      },
    },
    {
      name: "a keyed create, its replay, and the same key with another body",
      run: async (call) => {
        const user = freshUser();
        const headers = { "idempotency-key": "list-key-1" };
        const first = await call({ user, headers, json: { name: "keyed" } });
        expect(first.status).toBe(201);
        expect((await call({ user, headers, json: { name: "keyed" } })).body).toEqual(first.body);
        const reused = await call({ user, headers, json: { name: "another" } });
        expect([reused.status, reused.body.error.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
      },
    },
    {
      name: "a keyed create that fails (past the cap: the idempotency record is deleted)",
      run: async (call) => {
        const user = freshUser();
        for (let i = 1; i < LIST_CAP; i++) await seedList(user, 0, `l${i}`);
        const over = await call({ user, headers: { "idempotency-key": "list-key-2" }, json: { name: "one too many" } });
        expect([over.status, over.body.error.code]).toEqual([409, "TOO_MANY_LISTS"]);
      },
    },
    {
      name: "a copy of a keyed create that is still in progress",
      run: async (call) => {
        const user = freshUser();
        const headers = { "idempotency-key": "list-key-3" };
        let copy: Awaited<ReturnType<Call>> | undefined;
        // The copy is sent and answered while the first create's transaction is held.
        meanwhile("TransactWriteItems", async () => (copy = await call({ user, headers, json: { name: "slow" } })));
        expect((await call({ user, headers, json: { name: "slow" } })).status).toBe(201);
        expect([copy?.status, copy?.body.error.code]).toEqual([409, "REQUEST_IN_PROGRESS"]);
      },
    },
  ],
  "PATCH /lists/{listId}": [
    {
      name: "a rename and a move of a list, with and without If-Match",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user);
        expect((await call({ user, ...byListId(list), json: { name: "Job" } })).status).toBe(200);
        expect((await call({ user, ...byListId(list), json: { position: 5 }, headers: { "if-match": "2" } })).status).toBe(200);
      },
    },
    {
      name: "the default list's first change (its item is written) and its next",
      run: async (call) => {
        const user = freshUser();
        expect((await call({ user, ...byListId({ id: "default" }), json: { name: "Inbox" }, headers: { "if-match": "1" } })).body.version).toBe(2);
        expect((await call({ user, ...byListId({ id: "default" }), json: { position: 3 } })).body.version).toBe(3);
      },
    },
    {
      name: "a stale If-Match (on a list and on the default one), a tombstoned list and no such list",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user);
        expect((await call({ user, ...byListId(list), json: { name: "b" }, headers: { "if-match": "7" } })).status).toBe(409);
        expect((await call({ user, ...byListId({ id: "default" }), json: { name: "b" }, headers: { "if-match": "7" } })).status).toBe(409);
        await tombstone(user, list);
        expect((await call({ user, ...byListId(list), json: { name: "b" } })).status).toBe(404);
        expect((await call({ user, ...byListId({ id: NO_SUCH_ID }), json: { name: "b" } })).status).toBe(404);
      },
    },
  ],
  "DELETE /lists/{listId}": [
    {
      name: "no such list",
      run: async (call) => expect((await call({ user: freshUser(), ...byListId({ id: NO_SUCH_ID }) })).status).toBe(404),
    },
    {
      name: "an empty list (tombstone and counter, no tasks to purge, the tombstone deleted)",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user);
        expect((await call({ user, ...byListId(list) })).status).toBe(204);
        expect(await seedLists.all(user)).toHaveLength(1);
      },
    },
    {
      name: "a list with tasks (purged with their memberships and the counter), then another purge left behind",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user, 2);
        const { list: left } = await seedList(user, 1, "Left behind");
        await tombstone(user, left);
        expect((await call({ user, ...byListId(list) })).status).toBe(204);
        expect((await seedLists.all(user)).map((l) => l.id)).toEqual(["default"]);
        expect((await seeder.list(user, { limit: 10 })).items).toEqual([]);
      },
    },
    {
      name: "out of time after the tombstone (204, purge deferred), then the retry that finishes it",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user, 1);
        expect((await call({ user, ...byListId(list), remaining: (n) => (n === 1 ? 10_000 : 0) })).status).toBe(204);
        expect(sentCount("Query"), "the purge did not start").toBe(0);
        expect((await call({ user, ...byListId(list) })).status).toBe(204);
        expect((await seedLists.all(user)).map((l) => l.id)).toEqual(["default"]);
      },
    },
    {
      name: "a delete racing another delete of the list (its tombstone's condition fails; it finishes the purge)",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user, 1);
        meanwhile("TransactWriteItems", () => tombstone(user, list));
        expect((await call({ user, ...byListId(list) })).status).toBe(204);
      },
    },
    {
      name: "a delete racing another that finished first (the tombstone is gone: 404)",
      run: async (call) => {
        const user = freshUser();
        const { list } = await seedList(user, 1);
        meanwhile("TransactWriteItems", () => seedLists.remove(user, list.id));
        expect((await call({ user, ...byListId(list) })).status).toBe(404);
      },
    },
    {
      name: "a purge racing a delete of one of its tasks (that delete's condition fails; the rest go again)",
      run: async (call) => {
        const user = freshUser();
        const { list, todos } = await seedList(user, 2);
        // The second transaction is the purge's: a DELETE /todos/{id} that read the task before the tombstone.
        meanwhile(
          "TransactWriteItems",
          () => seederDb.send(new DeleteCommand({ TableName: tables.todos, Key: todoKey(user, todos[0]!.id) })),
          2,
        );
        expect((await call({ user, ...byListId(list) })).status).toBe(204);
        // The tombstone, the purge's transaction and its retry without the deleted task, the tombstone's delete.
        expect(sentCount("TransactWriteItems")).toBe(4);
      },
    },
  ],
  "GET /sync": [
    {
      name: "a snapshot (lists, tasks, a tombstoned list's tasks left out)",
      run: async (call) => {
        const user = freshUser();
        await seedList(user, 1);
        const { list: doomed } = await seedList(user, 1, "Doomed");
        await tombstone(user, doomed);
        const page = (await call({ user })).body;
        expect(page.changes.filter((c: { kind: string }) => c.kind === "todo")).toHaveLength(1);
      },
    },
    {
      name: "the changes after a cursor: tasks and lists read back, a tombstone's members reported deleted",
      run: async (call) => {
        const user = freshUser();
        const { cursor } = (await call({ user })).body;
        const { list, todos } = await seedList(user, 2);
        await seeder.remove(user, todos[0]!.id);
        await tombstone(user, list);
        const page = (await call({ user, query: { since: cursor } })).body;
        expect(page.changes.filter((c: { deleted: boolean }) => c.deleted).map((c: { id: string }) => c.id).sort()).toEqual(
          [list.id, ...todos.map((t) => t.id)].sort(),
        );
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
  "POST /lists": ["dynamodb:GetItem on idempotency"],
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
      // A race that never happened would leave its branch untried.
      expect(holdRequest, `${key}, ${branch.name}: the request it waits for to race was never sent`).toBeUndefined();
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
