import { describe, expect, it } from "vitest";
import { CONNECTIONS_TABLE } from "../../packages/core/src/keys";
import { TODOS_STREAM_VIEW_TYPE } from "../../packages/core/src/table-definitions";
import { FAN_OUT } from "../../packages/functions/src/live/fan-out-settings";
import { METRICS_NAMESPACE, POKE_FAILURE_METRIC, SERVICE_NAME } from "../../packages/functions/src/telemetry-names";
import { inlinePolicies, list, type DeployedStack } from "../platform/deployed-stack";
import { stack } from "./support/stack";

const DEPLOYED = ["dev", "staging", "production"] as const;

/** What one `live.route(...)` turned into: the route, its function and the function's role. */
function webSocketRoute(deployed: DeployedStack, routeKey: string) {
  const [component, ...others] = deployed
    .ofType("sst:aws:ApiGatewayWebSocketRoute")
    .filter((c) => deployed.oneWithin(c, "aws:apigatewayv2/route:Route").inputs.routeKey === routeKey);
  if (!component || others.length) throw new Error(`expected one WebSocket route ${routeKey}`);
  const fn = deployed.oneWithin(component, "sst:aws:Function");
  return {
    route: deployed.oneWithin(component, "aws:apigatewayv2/route:Route"),
    fn: deployed.oneWithin(fn, "aws:lambda/function:Function"),
    role: deployed.oneWithin(fn, "aws:iam/role:Role"),
  };
}

function authorizer(deployed: DeployedStack) {
  const authorizer = deployed.oneOfApi(deployed.webSocketApi(), "aws:apigatewayv2/authorizer:Authorizer");
  const component = deployed.one("sst:aws:ApiGatewayV2Authorizer", "LiveAuthorizerCognito");
  const fn = deployed.oneWithin(component, "sst:aws:Function");
  return { authorizer, fn: deployed.oneWithin(fn, "aws:lambda/function:Function"), role: deployed.oneWithin(fn, "aws:iam/role:Role") };
}

function fanOut(deployed: DeployedStack) {
  const component = deployed.one("sst:aws:DynamoLambdaSubscriber", "TodosSubscriberLiveFanOut");
  const fn = deployed.oneWithin(component, "sst:aws:Function");
  return {
    mapping: deployed.oneWithin(component, "aws:lambda/eventSourceMapping:EventSourceMapping"),
    fn: deployed.oneWithin(fn, "aws:lambda/function:Function"),
    role: deployed.oneWithin(fn, "aws:iam/role:Role"),
  };
}

/** A role's inline statements, as `actions on resources` lines, sorted. */
function grants(role: Parameters<typeof inlinePolicies>[0]): string[] {
  return inlinePolicies(role)
    .flatMap((document) => document.Statement)
    .map((s) => `${s.Effect} ${list(s.Action).sort().join(",")} on ${list(s.Resource).sort().join(",")}`)
    .sort();
}

describe("infra/realtime.ts: the WebSocket API", () => {
  it.each(DEPLOYED)("has $connect behind a Lambda REQUEST authorizer reading ?token=, and $disconnect and $default (%s)", (name) => {
    const deployed = stack(name);
    const api = deployed.webSocketApi();
    expect(api.inputs).toMatchObject({ protocolType: "WEBSOCKET", routeSelectionExpression: "$request.body.action" });
    const { authorizer: auth } = authorizer(deployed);
    // Not JWT: API Gateway refuses JWT authorizers on WebSocket APIs (sst#6041).
    expect(auth.inputs).toMatchObject({ apiId: api.id, authorizerType: "REQUEST", identitySources: ["route.request.querystring.token"] });
    expect(webSocketRoute(deployed, "$connect").route.inputs).toMatchObject({ apiId: api.id, authorizationType: "CUSTOM", authorizerId: auth.id });
    for (const key of ["$disconnect", "$default"]) {
      expect(webSocketRoute(deployed, key).route.inputs.authorizationType ?? "NONE", key).toBe("NONE");
    }
    expect(deployed.ofType("sst:aws:ApiGatewayWebSocketRoute")).toHaveLength(3);
  });

  it("verifies tokens of its own pool and SPA client, with the production authorizer handler", () => {
    const deployed = stack("production");
    const { fn } = authorizer(deployed);
    expect(fn.inputs.handler).toMatch(/authorizer\.handler$/);
    expect(fn.inputs.environment.variables).toMatchObject({
      USER_POOL_ID: deployed.one("aws:cognito/userPool:UserPool").id,
      USER_POOL_CLIENT_ID: deployed.one("aws:cognito/userPoolClient:UserPoolClient").id,
    });
  });

  it.each(DEPLOYED)("grants each function exactly what it uses (%s)", (name) => {
    const deployed = stack(name);
    const connections = String(deployed.table("Connections").state.arn);
    const todosStream = String(deployed.table("Todos").state.streamArn);
    const executionArn = String(deployed.webSocketApi().state.executionArn);
    expect(grants(authorizer(deployed).role)).toEqual([]);
    expect(grants(webSocketRoute(deployed, "$connect").role)).toEqual([`Allow dynamodb:PutItem on ${connections}`]);
    expect(grants(webSocketRoute(deployed, "$disconnect").role)).toEqual([`Allow dynamodb:DeleteItem on ${connections}`]);
    expect(grants(webSocketRoute(deployed, "$default").role)).toEqual([]);
    expect(grants(fanOut(deployed).role)).toEqual(
      [
        `Allow dynamodb:DeleteItem,dynamodb:Query on ${connections}`,
        // PostToConnection on this API's connections, and nothing else of API Gateway.
        `Allow execute-api:ManageConnections on ${executionArn}/*/POST/@connections/*`,
        // What Lambda's event source mapping reads the stream with (SST adds it).
        `Allow dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator,dynamodb:ListStreams on ${todosStream}`,
      ].sort(),
    );
  });

  it("tells the fan-out where to post, and the connection handlers their table", () => {
    const deployed = stack("dev");
    const connections = deployed.table("Connections").state.name;
    expect(fanOut(deployed).fn.inputs.environment.variables).toMatchObject({
      CONNECTIONS_TABLE_NAME: connections,
      WS_MANAGEMENT_ENDPOINT: `${String(deployed.webSocketApi().state.apiEndpoint).replace("wss", "https")}/$default`,
    });
    for (const key of ["$connect", "$disconnect"]) {
      expect(webSocketRoute(deployed, key).fn.inputs.environment.variables, key).toMatchObject({ CONNECTIONS_TABLE_NAME: connections });
    }
  });

  it("outputs wsUrl, and builds the SPA with it", () => {
    const deployed = stack("dev");
    expect(deployed.outputs.wsUrl).toBe(`${deployed.webSocketApi().state.apiEndpoint}/$default`);
    expect(deployed.one("command:local:Command").inputs.environment.VITE_WS_URL).toBe(deployed.outputs.wsUrl);
  });
});

describe("infra/realtime.ts: connections and the fan-out", () => {
  it("keys connections by user and connection id, expiring rows by TTL at the token's expiry", () => {
    const table = stack("production").table("Connections");
    expect(table.inputs).toMatchObject({
      hashKey: CONNECTIONS_TABLE.partitionKey,
      rangeKey: CONNECTIONS_TABLE.sortKey,
      billingMode: "PAY_PER_REQUEST",
      ttl: { attributeName: CONNECTIONS_TABLE.ttlAttribute, enabled: true },
      serverSideEncryption: { enabled: true },
    });
  });

  it.each(DEPLOYED)("streams the Todos table's keys into the fan-out, for inserted sync-log entries only (%s)", (name) => {
    const deployed = stack(name);
    const todos = deployed.table("Todos");
    expect(todos.inputs).toMatchObject({ streamEnabled: true, streamViewType: TODOS_STREAM_VIEW_TYPE });
    const { mapping, fn } = fanOut(deployed);
    expect(mapping.inputs).toMatchObject({
      eventSourceArn: todos.state.streamArn,
      functionName: fn.state.arn,
      startingPosition: "LATEST",
      batchSize: FAN_OUT.batchSize,
      functionResponseTypes: ["ReportBatchItemFailures"],
      maximumRetryAttempts: FAN_OUT.maximumRetryAttempts,
      maximumRecordAgeInSeconds: FAN_OUT.maximumRecordAgeSeconds,
    });
    expect(mapping.inputs.filterCriteria.filters.map((f: { pattern: string }) => JSON.parse(f.pattern))).toEqual([
      { eventName: ["INSERT"], dynamodb: { Keys: { todoId: { S: [{ prefix: "~log#" }] } } } },
    ]);
    expect(fn.inputs).toMatchObject({ timeout: FAN_OUT.timeoutSeconds, handler: expect.stringMatching(/fan-out\.handler$/) });
  });

  it("alarms on fan-out crashes, undelivered pokes and a stream iterator half a minute behind", () => {
    const deployed = stack("production");
    const fn = fanOut(deployed).fn.state.name;
    const alarm = (logicalName: string) => deployed.one("aws:cloudwatch/metricAlarm:MetricAlarm", logicalName).inputs;
    expect(alarm("LiveFanOutErrors")).toMatchObject({ namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: fn }, threshold: 1 });
    expect(alarm("LivePokeFailures")).toMatchObject({
      namespace: METRICS_NAMESPACE,
      metricName: POKE_FAILURE_METRIC,
      dimensions: { service: SERVICE_NAME },
      statistic: "Sum",
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    expect(alarm("LiveFanOutIteratorAge")).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "IteratorAge",
      dimensions: { FunctionName: fn },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 30_000,
    });
  });
});
