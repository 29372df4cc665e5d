/**
 * Turns one entry of THE route table (packages/functions/src/routes.ts) into the IAM statements
 * its function gets, and refuses entries that would weaken the API. No SST globals here.
 */
import type { Route } from "../packages/functions/src/routes";

/** The methods CORS allows (infra/api.ts); a new method needs both. */
const METHODS = new Set(["GET", "POST", "PATCH", "DELETE"]);
/** One concrete DynamoDB action, e.g. "dynamodb:Query" — never "dynamodb:*" or "dynamodb:Get*". */
const ACTION = /^dynamodb:[A-Z][A-Za-z]+$/;

export interface TableArns<T> {
  todos: T;
  idempotency: T;
}

export interface Permission<T> {
  actions: string[];
  resources: T[];
}

/**
 * Throws when a route could not be registered safely behind the JWT authorizer:
 * `ANY` (CORS preflight would then need a token, and it hides which methods exist),
 * `$default` (a catch-all), a path that is not absolute, a wildcard action, no actions.
 */
export function assertRouteIsSafe(route: Pick<Route, "method" | "path" | "handler" | "permissions">): void {
  const where = `${route.method} ${route.path}`;
  if (!METHODS.has(route.method)) throw new Error(`${where}: method must be one of ${[...METHODS].join(", ")}`);
  if (!route.path.startsWith("/") || route.path.includes("$default")) {
    throw new Error(`${where}: path must be an absolute API Gateway path`);
  }
  if (!/^[a-z0-9/-]+$/.test(route.handler)) throw new Error(`${where}: bad handler module "${route.handler}"`);
  const tables = Object.entries(route.permissions) as [string, readonly string[] | undefined][];
  if ((route.permissions.todos ?? []).length === 0) throw new Error(`${where}: no actions on the todos table`);
  for (const [table, actions] of tables) {
    for (const action of actions ?? []) {
      if (!ACTION.test(action)) throw new Error(`${where}: "${action}" on ${table} is not one concrete action`);
    }
  }
}

/** Exactly the route's actions, each statement on exactly one table ARN. */
export function functionPermissions<T>(route: Pick<Route, "permissions">, arns: TableArns<T>): Permission<T>[] {
  const statements: Permission<T>[] = [{ actions: [...route.permissions.todos], resources: [arns.todos] }];
  const idempotency = route.permissions.idempotency;
  if (idempotency && idempotency.length > 0) {
    statements.push({ actions: [...idempotency], resources: [arns.idempotency] });
  }
  return statements;
}
