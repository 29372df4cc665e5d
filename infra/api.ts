/**
 * The HTTP API: every route of THE route table (packages/functions/src/routes.ts) behind the
 * Cognito JWT authorizer, one function per route with exactly the DynamoDB actions the table
 * lists. The tables are not `link`ed: link would grant dynamodb:* on them; the functions get
 * the table names as environment variables instead.
 */
import { routeKey, routes } from "../packages/functions/src/routes";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../packages/functions/src/telemetry-names";
import { issuer, userPool, userPoolClient } from "./auth";
import { ACCESS_TOKEN_VALIDITY_HOURS, API_CORS, API_THROTTLE, USER_RATE_LIMIT } from "./limits";
import { assertRouteIsSafe, functionPermissions, type TableArns } from "./route-permissions";
import { logRetention, site } from "./stage";
import { connectionsTable } from "./realtime";
import { idempotencyTable, rateLimitsTable, todosTable } from "./storage";

export const api = new sst.aws.ApiGatewayV2("Api", {
  cors: {
    allowOrigins: site.origins,
    allowMethods: [...API_CORS.allowMethods],
    allowHeaders: [...API_CORS.allowHeaders],
    exposeHeaders: [...API_CORS.exposeHeaders],
    allowCredentials: false,
    maxAge: `${API_CORS.maxAgeSeconds} seconds`,
  },
  // SST writes the access log as JSON (request id, route key, status, latencies, source IP).
  accessLog: { retention: logRetention },
  transform: {
    stage: {
      defaultRouteSettings: {
        throttlingRateLimit: API_THROTTLE.rateLimit,
        throttlingBurstLimit: API_THROTTLE.burstLimit,
        detailedMetricsEnabled: true,
      },
    },
  },
});

/**
 * On AWS this authorizer also accepts ID tokens (their `aud` is the client id); the handlers
 * reject anything but `token_use: access` (README, "Offline stack": known emulator gaps).
 */
export const authorizer = api.addAuthorizer({
  name: "Cognito",
  jwt: { issuer, audiences: [userPoolClient.id] },
});

/** The table each key of a route's `permissions` grants on. */
const tableArns: TableArns<$util.Output<string>> = {
  todos: todosTable.arn,
  idempotency: idempotencyTable.arn,
  rateLimits: rateLimitsTable.arn,
  connections: connectionsTable.arn,
  userPool: userPool.nodes.userPool.arn,
};

/** What the handlers read, and nothing else. */
const environment = {
  TODOS_TABLE_NAME: todosTable.name,
  IDEMPOTENCY_TABLE_NAME: idempotencyTable.name,
  RATE_LIMITS_TABLE_NAME: rateLimitsTable.name,
  // One user's fair share, from the capacity model (docs/capacity.md, "Fair share").
  USER_RATE_LIMIT_REQUESTS: String(USER_RATE_LIMIT.requests),
  USER_RATE_LIMIT_WINDOW_SECONDS: String(USER_RATE_LIMIT.windowSeconds),
  // DELETE /account: the connections to drop, the pool to delete the user from, how long tokens live.
  CONNECTIONS_TABLE_NAME: connectionsTable.name,
  USER_POOL_ID: userPool.id,
  ACCESS_TOKEN_VALIDITY_SECONDS: String(ACCESS_TOKEN_VALIDITY_HOURS * 3600),
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  POWERTOOLS_LOG_LEVEL: "INFO",
};

export const apiRoutes = routes.map((route) => {
  assertRouteIsSafe(route);
  const key = routeKey(route);
  const registered = api.route(
    key,
    {
      handler: `packages/functions/src/${route.handler}.handler`,
      ...("timeoutSeconds" in route ? { timeout: `${route.timeoutSeconds} seconds` as const } : {}),
      permissions: functionPermissions(route, tableArns),
      environment,
    },
    { auth: { jwt: { authorizer: authorizer.id } } },
  );
  return { key, functionName: registered.nodes.function.apply((fn) => fn.name) };
});
