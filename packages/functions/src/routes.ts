/**
 * THE route table. infra/api.ts registers exactly these routes (each with the JWT authorizer and
 * exactly these IAM actions); the offline gateway serves exactly these routes with the same
 * handlers. Paths use API Gateway's syntax.
 */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export type DynamoAction =
  | "dynamodb:GetItem"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
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

export const routes = [
  {
    method: "GET",
    path: "/todos",
    handler: "todos/list",
    permissions: { todos: ["dynamodb:Query"] },
  },
  {
    method: "POST",
    path: "/todos",
    handler: "todos/create",
    permissions: {
      todos: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
      idempotency: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    },
  },
  {
    method: "DELETE",
    path: "/todos",
    handler: "todos/clear-completed",
    permissions: { todos: ["dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:UpdateItem"] },
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
    permissions: { todos: ["dynamodb:UpdateItem"] },
  },
  {
    method: "DELETE",
    path: "/todos/{id}",
    handler: "todos/remove",
    permissions: { todos: ["dynamodb:DeleteItem", "dynamodb:UpdateItem"] },
  },
] as const satisfies readonly Route[];

/** "GET /todos/{id}" — the key API Gateway v2 uses for a route. */
export function routeKey(route: Pick<Route, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}
