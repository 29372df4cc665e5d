/**
 * THE route table. infra/api.ts registers exactly these routes (each with the JWT authorizer and
 * exactly these IAM actions); the offline gateway serves exactly these routes with the same
 * handlers. Paths use API Gateway's syntax.
 */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * IAM authorises a TransactWriteItems by its items' actions (PutItem, UpdateItem, DeleteItem,
 * ConditionCheckItem), so a route that writes in transactions lists those. Every write
 * transaction puts a sync-log entry (PutItem), so every route that writes the Todos table has it.
 */
export type DynamoAction =
  | "dynamodb:GetItem"
  | "dynamodb:BatchGetItem"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:ConditionCheckItem"
  | "dynamodb:Query";

export interface Route {
  method: HttpMethod;
  path: string;
  /** Module under packages/functions/src that exports `handler`. */
  handler: string;
  /** What the function may do, per table; nothing else is granted. */
  permissions: {
    todos: readonly DynamoAction[];
    idempotency?: readonly DynamoAction[];
  };
}

/** Powertools idempotency: read, claim, complete and (on failure) release a record. */
const IDEMPOTENCY_RECORDS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"] as const;

export const routes = [
  {
    method: "GET",
    path: "/todos",
    handler: "todos/list",
    // Query the tasks or a list's memberships (and the lists, for tombstones); GetItem the list;
    // BatchGetItem a list's page of tasks.
    permissions: { todos: ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:BatchGetItem"] },
  },
  {
    method: "POST",
    path: "/todos",
    handler: "todos/create",
    // One transaction: the task, the counter, and in a list other than the default one a check
    // that it is live and the membership.
    permissions: {
      todos: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"],
      idempotency: IDEMPOTENCY_RECORDS,
    },
  },
  {
    method: "PATCH",
    path: "/todos",
    handler: "todos/complete-all",
    // Query the candidates (memberships, tasks, lists), GetItem / BatchGetItem them; transactions of updates.
    permissions: { todos: ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"] },
  },
  {
    method: "DELETE",
    path: "/todos",
    handler: "todos/clear-completed",
    permissions: { todos: ["dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:PutItem"] },
  },
  {
    method: "GET",
    path: "/todos/{id}",
    handler: "todos/get",
    permissions: { todos: ["dynamodb:GetItem"] },
  },
  {
    method: "PATCH",
    path: "/todos/{id}",
    handler: "todos/update",
    // Read the task, then one transaction: the task, a check of its list; on a move
    // both memberships and a check of the target list.
    permissions: {
      todos: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"],
    },
  },
  {
    method: "DELETE",
    path: "/todos/{id}",
    handler: "todos/remove",
    // Read the task, then one transaction: the task, the counter, its membership and a check of its list.
    permissions: {
      todos: ["dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:PutItem"],
    },
  },
  {
    method: "GET",
    path: "/lists",
    handler: "lists/list",
    permissions: { todos: ["dynamodb:Query"] },
  },
  {
    method: "POST",
    path: "/lists",
    handler: "lists/create",
    // One transaction: the list and the counter.
    permissions: { todos: ["dynamodb:PutItem", "dynamodb:UpdateItem"], idempotency: IDEMPOTENCY_RECORDS },
  },
  {
    method: "PATCH",
    path: "/lists/{listId}",
    handler: "lists/update",
    // Read the list, then write it whole, conditional on the version read.
    permissions: { todos: ["dynamodb:GetItem", "dynamodb:PutItem"] },
  },
  {
    method: "DELETE",
    path: "/lists/{listId}",
    handler: "lists/remove",
    // GetItem the list; tombstone it with the counter (UpdateItem); Query memberships and lists;
    // purge tasks and memberships (DeleteItem) with counter changes; delete the tombstone.
    permissions: { todos: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:PutItem"] },
  },
  {
    method: "GET",
    path: "/sync",
    handler: "sync/pull",
    // Query the sync log, the tasks (snapshot), the lists and a tombstoned list's memberships;
    // BatchGetItem the items the log names.
    permissions: { todos: ["dynamodb:Query", "dynamodb:BatchGetItem"] },
  },
] as const satisfies readonly Route[];

/** "GET /todos/{id}" — the key API Gateway v2 uses for a route. */
export function routeKey(route: Pick<Route, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}
