/**
 * Alarms to an SNS topic (email when ALARM_EMAIL is set at deploy time) and one dashboard.
 * Logs: CloudWatch Logs (/aws/lambda/<function>, /aws/vendedlogs/apis/<api>); business
 * metrics: the `Tasks` namespace (Powertools EMF); alarms and dashboard: CloudWatch.
 */
import {
  METRICS_NAMESPACE,
  POKE_FAILURE_METRIC,
  POKE_SENT_METRIC,
  SERVER_ERROR_METRIC,
  SERVICE_NAME,
  SERVICE_UNAVAILABLE_METRIC,
} from "../packages/functions/src/telemetry-names";
import { api, apiRoutes } from "./api";
import { ALARM_AT_SHARE_OF_LIMIT, QUOTAS } from "./capacity-model";
import { connectionsTable, fanOutFunctionName } from "./realtime";
import { region } from "./stage";
import { idempotencyTable, todosTable } from "./storage";

/** Thresholds, in one place. Periods are 5 minutes. */
export const ALARM_THRESHOLDS = {
  /** Any function crash or timeout (the HTTP wrapper answers everything else itself). */
  functionErrors: 1,
  /** Any 500 INTERNAL the wrapper answered (an unexpected error, logged with its stack). */
  serverErrors: 1,
  /** Percentage of requests answered 5xx, over two consecutive periods. */
  api5xxPercent: 1,
  /** p99 end-to-end latency in ms; functions time out at 10 s, SDK calls at ~2-3 s. */
  apiLatencyP99Ms: 2500,
  /** Throttled DynamoDB requests per period (on-demand tables should never throttle). */
  dynamoThrottles: 1,
  /**
   * Capacity (docs/capacity.md): 80 % of the account's default Lambda concurrency and of its API
   * Gateway request rate, so that there is time to ask for more before requests fail.
   */
  lambdaConcurrency: ALARM_AT_SHARE_OF_LIMIT * QUOTAS.lambdaConcurrency,
  apiRequestsPerSecond: ALARM_AT_SHARE_OF_LIMIT * QUOTAS.apiGatewayAccountRps,
  /** Any poke the fan-out could not deliver (410 Gone is not a failure), or any fan-out crash. */
  pokeFailures: 1,
  /**
   * The fan-out's stream iterator age in ms (how old the newest record it took was), for three
   * 1-minute periods: pokes promised within a second are then arriving half a minute late.
   */
  fanOutIteratorAgeMs: 30_000,
} as const;

const PERIOD = 300;

export const alarmTopic = new sst.aws.SnsTopic("Alarms");

if (process.env.ALARM_EMAIL) {
  new aws.sns.TopicSubscription("AlarmsEmail", {
    topic: alarmTopic.arn,
    protocol: "email",
    endpoint: process.env.ALARM_EMAIL,
  });
}

const notify = {
  alarmActions: [alarmTopic.arn],
  okActions: [alarmTopic.arn],
  treatMissingData: "notBreaching",
};

/** "GET /todos/{id}" -> "GetTodosId": a logical resource name. */
function resourceName(key: string): string {
  return key
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1).toLowerCase())
    .join("");
}

export const functionErrorAlarms = apiRoutes.map(
  ({ key, functionName }) =>
    new aws.cloudwatch.MetricAlarm(`FunctionErrors${resourceName(key)}`, {
      alarmDescription: `${key}: the function threw or timed out`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: functionName },
      statistic: "Sum",
      period: PERIOD,
      evaluationPeriods: 1,
      threshold: ALARM_THRESHOLDS.functionErrors,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      ...notify,
    }),
);

/**
 * The wrapper catches unexpected errors and answers 500 INTERNAL itself, so Lambda's Errors metric
 * never sees them; it counts each in the `ServerError` metric (Powertools EMF, dimension service).
 * 503s (DynamoDB faults) are counted apart, as `ServiceUnavailable`: see the dashboard.
 */
export const serverErrorAlarm = new aws.cloudwatch.MetricAlarm("ApiServerErrors", {
  alarmDescription: "A handler answered 500 INTERNAL: see the function's log for the error",
  namespace: METRICS_NAMESPACE,
  metricName: SERVER_ERROR_METRIC,
  dimensions: { service: SERVICE_NAME },
  statistic: "Sum",
  period: PERIOD,
  evaluationPeriods: 1,
  threshold: ALARM_THRESHOLDS.serverErrors,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  ...notify,
});

const apiId = api.nodes.api.id;

export const api5xxAlarm = new aws.cloudwatch.MetricAlarm("Api5xxRate", {
  alarmDescription: `More than ${ALARM_THRESHOLDS.api5xxPercent}% of API requests answered 5xx`,
  metricQueries: [
    {
      id: "errors",
      metric: { namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: { ApiId: apiId }, stat: "Sum", period: PERIOD },
    },
    {
      id: "requests",
      metric: { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: { ApiId: apiId }, stat: "Sum", period: PERIOD },
    },
    { id: "rate", expression: "IF(requests > 0, 100 * errors / requests, 0)", label: "5xx %", returnData: true },
  ],
  evaluationPeriods: 2,
  datapointsToAlarm: 2,
  threshold: ALARM_THRESHOLDS.api5xxPercent,
  comparisonOperator: "GreaterThanThreshold",
  ...notify,
});

export const apiLatencyAlarm = new aws.cloudwatch.MetricAlarm("ApiLatencyP99", {
  alarmDescription: `API p99 latency above ${ALARM_THRESHOLDS.apiLatencyP99Ms} ms`,
  namespace: "AWS/ApiGateway",
  metricName: "Latency",
  dimensions: { ApiId: apiId },
  extendedStatistic: "p99",
  period: PERIOD,
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  threshold: ALARM_THRESHOLDS.apiLatencyP99Ms,
  comparisonOperator: "GreaterThanThreshold",
  ...notify,
});

/** The account's concurrent executions (all functions), at its peak minute, three minutes running. */
export const lambdaConcurrencyAlarm = new aws.cloudwatch.MetricAlarm("LambdaConcurrency", {
  alarmDescription: `Lambda concurrency at ${ALARM_THRESHOLDS.lambdaConcurrency} (80 % of the default account quota): request more`,
  namespace: "AWS/Lambda",
  metricName: "ConcurrentExecutions",
  statistic: "Maximum",
  period: 60,
  evaluationPeriods: 3,
  threshold: ALARM_THRESHOLDS.lambdaConcurrency,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  ...notify,
});

/** This API's requests per second, as a minute's count, three minutes running. */
export const apiRequestRateAlarm = new aws.cloudwatch.MetricAlarm("ApiRequestRate", {
  alarmDescription: `API requests at ${ALARM_THRESHOLDS.apiRequestsPerSecond}/s (80 % of the account's default API Gateway limit): request more`,
  namespace: "AWS/ApiGateway",
  metricName: "Count",
  dimensions: { ApiId: apiId },
  statistic: "Sum",
  period: 60,
  evaluationPeriods: 3,
  threshold: ALARM_THRESHOLDS.apiRequestsPerSecond * 60,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  ...notify,
});

/**
 * The fan-out reports a failed poke as a batch item failure instead of throwing (Lambda retries
 * that record), so Lambda's Errors metric sees only crashes and timeouts: both are watched.
 */
export const fanOutErrorAlarms = [
  new aws.cloudwatch.MetricAlarm("LiveFanOutErrors", {
    alarmDescription: "The live fan-out threw or timed out: see its log",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: fanOutFunctionName },
    statistic: "Sum",
    period: PERIOD,
    evaluationPeriods: 1,
    threshold: ALARM_THRESHOLDS.pokeFailures,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    ...notify,
  }),
  new aws.cloudwatch.MetricAlarm("LivePokeFailures", {
    alarmDescription: "The live fan-out could not deliver pokes (retried; see its log)",
    namespace: METRICS_NAMESPACE,
    metricName: POKE_FAILURE_METRIC,
    dimensions: { service: SERVICE_NAME },
    statistic: "Sum",
    period: PERIOD,
    evaluationPeriods: 1,
    threshold: ALARM_THRESHOLDS.pokeFailures,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    ...notify,
  }),
];

export const fanOutIteratorAgeAlarm = new aws.cloudwatch.MetricAlarm("LiveFanOutIteratorAge", {
  alarmDescription: `Live pokes more than ${ALARM_THRESHOLDS.fanOutIteratorAgeMs / 1000} s behind the Todos table's stream`,
  namespace: "AWS/Lambda",
  metricName: "IteratorAge",
  dimensions: { FunctionName: fanOutFunctionName },
  statistic: "Maximum",
  period: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  threshold: ALARM_THRESHOLDS.fanOutIteratorAgeMs,
  comparisonOperator: "GreaterThanOrEqualToThreshold",
  ...notify,
});

/**
 * Read and write throttle events are published per table, whatever the operation. (The
 * per-operation ThrottledRequests would have to name the API operations the repository issues —
 * Query, GetItem, UpdateItem, TransactWriteItems — which are not the IAM actions of the route
 * table: a transaction is authorised by PutItem, UpdateItem and DeleteItem.)
 */
function throttleAlarm(name: string, tableName: $util.Output<string>) {
  const events = (id: string, metricName: string) => ({
    id,
    metric: { namespace: "AWS/DynamoDB", metricName, dimensions: { TableName: tableName }, stat: "Sum", period: PERIOD },
  });
  return new aws.cloudwatch.MetricAlarm(`${name}Throttles`, {
    alarmDescription: `DynamoDB throttled reads or writes on the ${name} table`,
    metricQueries: [
      events("reads", "ReadThrottleEvents"),
      events("writes", "WriteThrottleEvents"),
      { id: "throttles", expression: "SUM([reads, writes])", label: "throttle events", returnData: true },
    ],
    evaluationPeriods: 1,
    threshold: ALARM_THRESHOLDS.dynamoThrottles,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    ...notify,
  });
}

export const throttleAlarms = [
  throttleAlarm("Todos", todosTable.name),
  throttleAlarm("Idempotency", idempotencyTable.name),
  throttleAlarm("Connections", connectionsTable.name),
];

export const dashboard = new aws.cloudwatch.Dashboard("Dashboard", {
  dashboardName: `tasks-${$app.stage}`,
  dashboardBody: $resolve([apiId, todosTable.name, idempotencyTable.name, connectionsTable.name, fanOutFunctionName, ...apiRoutes.map((r) => r.functionName)]).apply(
    ([id, todos, idempotency, connections, fanOut, ...functionNames]) => {
      const widget = (title: string, metrics: unknown[][], stat = "Sum") => ({
        type: "metric",
        width: 12,
        height: 6,
        properties: { title, region, stat, period: PERIOD, view: "timeSeries", metrics },
      });
      return JSON.stringify({
        widgets: [
          widget("API requests and errors", [
            ["AWS/ApiGateway", "Count", "ApiId", id],
            ["AWS/ApiGateway", "4xx", "ApiId", id],
            ["AWS/ApiGateway", "5xx", "ApiId", id],
          ]),
          widget("API latency p99 (ms)", [["AWS/ApiGateway", "Latency", "ApiId", id], ["AWS/ApiGateway", "IntegrationLatency", "ApiId", id]], "p99"),
          widget("Function errors", functionNames.map((fn) => ["AWS/Lambda", "Errors", "FunctionName", fn])),
          widget("Handler 500 INTERNAL and 503 SERVICE_UNAVAILABLE", [
            [METRICS_NAMESPACE, SERVER_ERROR_METRIC, "service", SERVICE_NAME],
            [METRICS_NAMESPACE, SERVICE_UNAVAILABLE_METRIC, "service", SERVICE_NAME],
          ]),
          widget("Function duration p99 (ms)", functionNames.map((fn) => ["AWS/Lambda", "Duration", "FunctionName", fn]), "p99"),
          widget("DynamoDB consumed capacity", [
            ["AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName", todos],
            ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", todos],
            ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", idempotency],
          ]),
          widget("DynamoDB throttles", [
            ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", todos],
            ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", todos],
            ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", idempotency],
          ]),
          widget("Live: fan-out errors and iterator age (ms)", [
            ["AWS/Lambda", "Errors", "FunctionName", fanOut],
            ["AWS/Lambda", "IteratorAge", "FunctionName", fanOut, { stat: "Maximum" }],
          ]),
          widget("Live: pokes sent and failed, connection writes", [
            [METRICS_NAMESPACE, POKE_SENT_METRIC, "service", SERVICE_NAME],
            [METRICS_NAMESPACE, POKE_FAILURE_METRIC, "service", SERVICE_NAME],
            ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", connections],
          ]),
        ],
      });
    },
  ),
});
