/**
 * Turns one entry of THE route table (packages/functions/src/routes.ts) into the IAM statements
 * its function gets, and refuses entries that would weaken the API. No SST globals here.
 *
 * Generic in the tables: each key of a route's `permissions` names a table (or the user pool),
 * and the caller maps every key to that resource's ARN (`TableArns`). A new table is one more key in routes.ts's
 * `Route["permissions"]` and one more entry where infra/api.ts builds the map.
 */
import type { Route } from "../packages/functions/src/routes";

/** The methods CORS allows (infra/api.ts); a new method needs both. */
const METHODS = new Set(["GET", "POST", "PATCH", "DELETE"]);
/** One concrete DynamoDB or Cognito action, e.g. "dynamodb:Query" — never "dynamodb:*" or "dynamodb:Get*". */
const ACTION = /^(dynamodb|cognito-idp):[A-Z][A-Za-z]+$/;

export type TableKey = keyof Route["permissions"];

/** Every table a route may be granted actions on, by its key in `permissions`. */
export type TableArns<T> = Record<TableKey, T>;

export interface Permission<T> {
  actions: string[];
  resources: T[];
}

type RouteEntry = Pick<Route, "method" | "path" | "handler" | "permissions">;

const grants = (route: Pick<Route, "permissions">) =>
  (Object.entries(route.permissions) as [string, readonly string[] | undefined][]).filter(
    ([, actions]) => (actions ?? []).length > 0,
  ) as [string, readonly string[]][];

/**
 * Throws when a route could not be registered safely behind the JWT authorizer:
 * `ANY` (CORS preflight would then need a token, and it hides which methods exist),
 * `$default` (a catch-all), a path that is not absolute, a wildcard or malformed action.
 */
export function assertRouteIsSafe(route: RouteEntry): void {
  const where = `${route.method} ${route.path}`;
  if (!METHODS.has(route.method)) throw new Error(`${where}: method must be one of ${[...METHODS].join(", ")}`);
  if (!route.path.startsWith("/") || route.path.includes("$default")) {
    throw new Error(`${where}: path must be an absolute API Gateway path`);
  }
  if (!/^[a-z0-9/-]+$/.test(route.handler)) throw new Error(`${where}: bad handler module "${route.handler}"`);
  for (const [table, actions] of grants(route)) {
    for (const action of actions) {
      if (!ACTION.test(action)) throw new Error(`${where}: "${action}" on ${table} is not one concrete action`);
    }
  }
}

/** Exactly the route's actions, each statement on exactly one table's ARN; nothing for tables it does not list. */
export function functionPermissions<T>(route: RouteEntry, arns: TableArns<T>): Permission<T>[] {
  return grants(route).map(([table, actions]) => {
    if (!Object.hasOwn(arns, table)) {
      throw new Error(`${route.method} ${route.path}: permissions name the table "${table}", which infra/api.ts has no ARN for`);
    }
    return { actions: [...actions], resources: [arns[table as TableKey]] };
  });
}
