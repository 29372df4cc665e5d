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
  | "dynamodb:Query"
  | "dynamodb:BatchWriteItem";

/** Cognito actions, on this stage's user pool only. */
export type CognitoAction = "cognito-idp:AdminDeleteUser";

export interface Route {
  method: HttpMethod;
  path: string;
  /** Module under packages/functions/src that exports `handler`. */
  handler: string;
  /** The function's timeout when it is not the default 10 s (API Gateway waits at most 30 s). */
  timeoutSeconds?: number;
  /** What the function may do, per table; nothing else is granted. */
  permissions: {
    todos: readonly DynamoAction[];
    idempotency?: readonly DynamoAction[];
    /** Every route: the HTTP wrapper counts each request in the caller's fair share (RATE_LIMIT). */
    rateLimits: readonly DynamoAction[];
    /** The live connections (DELETE /account removes the caller's). */
    connections?: readonly DynamoAction[];
    userPool?: readonly CognitoAction[];
  };
}

/** The per-user rate limiter's one conditional UpdateItem per request (core/user-rate-limiter.ts). */
export const RATE_LIMIT = ["dynamodb:UpdateItem"] as const;

/** Powertools idempotency: read, claim, complete and (on failure) release a record. */
const IDEMPOTENCY_RECORDS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"] as const;

export const routes = [
  {
    method: "GET",
    path: "/todos",
    handler: "todos/list",
    // Query the tasks or a list's memberships (and the lists, for tombstones); GetItem the list;
    // BatchGetItem a list's page of tasks.
    permissions: { todos: ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:BatchGetItem"], rateLimits: RATE_LIMIT },
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
      rateLimits: RATE_LIMIT,
    },
  },
  {
    method: "PATCH",
    path: "/todos",
    handler: "todos/complete-all",
    // Query the candidates (memberships, tasks, lists), GetItem / BatchGetItem them; transactions of updates.
    permissions: {
      todos: ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"],
      rateLimits: RATE_LIMIT,
    },
  },
  {
    method: "DELETE",
    path: "/todos",
    handler: "todos/clear-completed",
    permissions: {
      todos: ["dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:PutItem"],
      rateLimits: RATE_LIMIT,
    },
  },
  {
    method: "GET",
    path: "/todos/{id}",
    handler: "todos/get",
    permissions: { todos: ["dynamodb:GetItem"], rateLimits: RATE_LIMIT },
  },
  {
    method: "PATCH",
    path: "/todos/{id}",
    handler: "todos/update",
    // Read the task, then one transaction: the task, a check of its list; on a move
    // both memberships and a check of the target list.
    permissions: {
      todos: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"],
      rateLimits: RATE_LIMIT,
    },
  },
  {
    method: "DELETE",
    path: "/todos/{id}",
    handler: "todos/remove",
    // Read the task, then one transaction: the task, the counter, its membership and a check of its list.
    permissions: {
      todos: ["dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:PutItem"],
      rateLimits: RATE_LIMIT,
    },
  },
  {
    method: "GET",
    path: "/lists",
    handler: "lists/list",
    permissions: { todos: ["dynamodb:Query"], rateLimits: RATE_LIMIT },
  },
  {
    method: "POST",
    path: "/lists",
    handler: "lists/create",
    // One transaction: the list and the counter.
    permissions: {
      todos: ["dynamodb:PutItem", "dynamodb:UpdateItem"], idempotency: IDEMPOTENCY_RECORDS,
      rateLimits: RATE_LIMIT,
    },
  },
  {
    method: "PATCH",
    path: "/lists/{listId}",
    handler: "lists/update",
    // Read the list, then write it whole, conditional on the version read.
    permissions: { todos: ["dynamodb:GetItem", "dynamodb:PutItem"], rateLimits: RATE_LIMIT },
  },
  {
    method: "DELETE",
    path: "/lists/{listId}",
    handler: "lists/remove",
    // GetItem the list; tombstone it with the counter (UpdateItem); Query memberships and lists;
    // purge tasks and memberships (DeleteItem) with counter changes; delete the tombstone.
    permissions: {
      todos: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:PutItem"],
      rateLimits: RATE_LIMIT,
    },
  },
  {
    method: "GET",
    path: "/export",
    handler: "account/export",
    // Query the lists and the tasks (and the lists again, for tombstones), page by page.
    permissions: { todos: ["dynamodb:Query"], rateLimits: RATE_LIMIT },
  },
  {
    method: "DELETE",
    path: "/account",
    handler: "account/delete",
    // Long enough to delete a full account (10 000 tasks) in one request on AWS; a retry finishes otherwise.
    timeoutSeconds: 29,
    // Query the partition and the connections, delete them in batches; put the closed marks; delete the Cognito user.
    permissions: {
      todos: ["dynamodb:Query", "dynamodb:BatchWriteItem"],
      rateLimits: ["dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
      connections: ["dynamodb:Query", "dynamodb:BatchWriteItem"],
      userPool: ["cognito-idp:AdminDeleteUser"],
    },
  },
  {
    method: "GET",
    path: "/sync",
    handler: "sync/pull",
    // Query the sync log, the tasks (snapshot), the lists and a tombstoned list's memberships;
    // BatchGetItem the items the log names.
    permissions: { todos: ["dynamodb:Query", "dynamodb:BatchGetItem"], rateLimits: RATE_LIMIT },
  },
] as const satisfies readonly Route[];

/** "GET /todos/{id}" — the key API Gateway v2 uses for a route. */
export function routeKey(route: Pick<Route, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}
