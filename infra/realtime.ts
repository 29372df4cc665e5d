/**
 * Live sync (README, "Live sync"): a WebSocket API whose `$connect` is behind a Lambda REQUEST
 * authorizer verifying the Cognito access token of `?token=` (API Gateway has no JWT authorizer
 * for WebSocket APIs: sst#6041), a connections table (rows expire by TTL at the token's expiry),
 * and the fan-out: the Todos table's stream → one function → PostToConnection to the user's
 * connections. Each function gets exactly the actions it uses.
 */
import { CONNECTIONS_TABLE, TODOS_TABLE } from "../packages/core/src/keys";
import { SYNC_LOG_PREFIX } from "../packages/core/src/sync-log";
import { FAN_OUT } from "../packages/functions/src/live/fan-out-settings";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../packages/functions/src/telemetry-names";
import { userPool, userPoolClient } from "./auth";
import { logRetention } from "./stage";
import { todosTable } from "./storage";

/**
 * Rows live as long as a connection's token (an hour): nothing to back up or protect, so neither
 * point-in-time recovery nor deletion protection; encrypted like the other tables.
 */
export const connectionsTable = new sst.aws.Dynamo("Connections", {
  fields: { [CONNECTIONS_TABLE.partitionKey]: "string", [CONNECTIONS_TABLE.sortKey]: "string" },
  primaryIndex: { hashKey: CONNECTIONS_TABLE.partitionKey, rangeKey: CONNECTIONS_TABLE.sortKey },
  ttl: CONNECTIONS_TABLE.ttlAttribute,
  transform: { table: { serverSideEncryption: { enabled: true } } },
});

const powertools = {
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  POWERTOOLS_LOG_LEVEL: "INFO",
};

export const live = new sst.aws.ApiGatewayWebSocket("Live", {
  accessLog: { retention: logRetention },
});

/** The only query-string parameter the handshake needs; without it API Gateway answers 401 unasked. */
const TOKEN_SOURCE = "route.request.querystring.token";

export const liveAuthorizer = live.addAuthorizer("Cognito", {
  lambda: {
    function: {
      handler: "packages/functions/src/live/authorizer.handler",
      environment: { USER_POOL_ID: userPool.id, USER_POOL_CLIENT_ID: userPoolClient.id, ...powertools },
    },
    identitySources: [TOKEN_SOURCE],
  },
});

const onConnections = (...actions: string[]) => [{ actions, resources: [connectionsTable.arn] }];
const connectionsEnvironment = { CONNECTIONS_TABLE_NAME: connectionsTable.name, ...powertools };

export const liveRoutes = [
  live.route(
    "$connect",
    { handler: "packages/functions/src/live/connect.handler", permissions: onConnections("dynamodb:PutItem"), environment: connectionsEnvironment },
    { auth: { lambda: liveAuthorizer.id } },
  ),
  live.route("$disconnect", {
    handler: "packages/functions/src/live/disconnect.handler",
    permissions: onConnections("dynamodb:DeleteItem"),
    environment: connectionsEnvironment,
  }),
  // The clients' keep-alive pings; it touches nothing.
  live.route("$default", { handler: "packages/functions/src/live/keep-alive.handler", environment: powertools }),
];

/**
 * Only inserted sync-log entries invoke the fan-out (every change inserts one); task, list,
 * membership and counter records never reach it. The stream is keys-only
 * (core's TODOS_STREAM_VIEW_TYPE), which is all the filter and the function read.
 */
export const FAN_OUT_FILTER = {
  eventName: ["INSERT"],
  dynamodb: { Keys: { [TODOS_TABLE.sortKey]: { S: [{ prefix: SYNC_LOG_PREFIX }] } } },
};

export const fanOut = todosTable.subscribe(
  "LiveFanOut",
  {
    handler: "packages/functions/src/live/fan-out.handler",
    timeout: `${FAN_OUT.timeoutSeconds} seconds`,
    permissions: [
      ...onConnections("dynamodb:Query", "dynamodb:DeleteItem"),
      // PostToConnection, on this API's connections only.
      { actions: ["execute-api:ManageConnections"], resources: [$interpolate`${live.nodes.api.executionArn}/*/POST/@connections/*`] },
    ],
    environment: { ...connectionsEnvironment, WS_MANAGEMENT_ENDPOINT: live.managementEndpoint },
  },
  {
    filters: [FAN_OUT_FILTER],
    transform: {
      eventSourceMapping: {
        batchSize: FAN_OUT.batchSize,
        functionResponseTypes: ["ReportBatchItemFailures"],
        maximumRetryAttempts: FAN_OUT.maximumRetryAttempts,
        maximumRecordAgeInSeconds: FAN_OUT.maximumRecordAgeSeconds,
      },
    },
  },
);

export const fanOutFunctionName = fanOut.apply((subscriber) => subscriber.nodes.function.name);
