import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRICS_NAMESPACE, SERVER_ERROR_METRIC, SERVICE_NAME } from "../../packages/functions/src/telemetry-names";
import { ROOT } from "../platform/paths";
import { stack, type DeployedStack } from "./support/stack";

const DEPLOYED = ["dev", "staging", "production"] as const;
const alarm = (name: (typeof DEPLOYED)[number], logicalName: string) =>
  stack(name).one("aws:cloudwatch/metricAlarm:MetricAlarm", logicalName).inputs;
const fanOutFunction = (deployed: DeployedStack) =>
  deployed.oneWithin(deployed.one("sst:aws:DynamoLambdaSubscriber", "TodosSubscriberLiveFanOut"), "aws:lambda/function:Function");

describe("infra/monitoring.ts", () => {
  it.each(DEPLOYED)("sends every alarm, and its recovery, to the alarm topic (%s)", (name) => {
    const deployed = stack(name);
    const topic = deployed.one("aws:sns/topic:Topic").state.arn;
    const alarms = deployed.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    // One per route's function; server errors, 5xx rate, p99 latency; throttles on each table;
    // Lambda concurrency and the API's request rate against the account's quotas; live: the
    // fan-out's errors, its undelivered pokes, its iterator age, the Connections table's throttles.
    expect(alarms).toHaveLength(deployed.routes().length + 7 + 4);
    for (const { name: alarmName, inputs } of alarms) {
      expect(inputs.alarmActions, alarmName).toEqual([topic]);
      expect(inputs.okActions, alarmName).toEqual([topic]);
      expect(inputs.treatMissingData, alarmName).toBe("notBreaching");
    }
  });

  it("subscribes ALARM_EMAIL to the topic only when it is set", () => {
    expect(stack("dev").ofType("aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
    const staging = stack("staging");
    expect(staging.one("aws:sns/topicSubscription:TopicSubscription").inputs).toMatchObject({
      topic: staging.one("aws:sns/topic:Topic").state.arn,
      protocol: "email",
      endpoint: "ops@example.com",
    });
  });

  it("alarms on the first crash or timeout of each route's function", () => {
    const production = stack("production");
    const errorAlarms = production
      .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .filter((a) => a.inputs.namespace === "AWS/Lambda" && a.inputs.metricName === "Errors")
      .map((a) => a.inputs);
    expect(errorAlarms.map((a) => a.dimensions.FunctionName).sort()).toEqual(
      [...production.routes().map((r) => r.fn.state.name), fanOutFunction(production).state.name].sort(),
    );
    for (const inputs of errorAlarms) {
      expect(inputs).toMatchObject({ metricName: "Errors", statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 1 });
      expect(inputs.comparisonOperator).toBe("GreaterThanOrEqualToThreshold");
    }
  });

  it("alarms on the first 500 INTERNAL the handlers answer themselves (Lambda's Errors never sees those)", () => {
    const inputs = alarm("production", "ApiServerErrors");
    // CloudWatch matches a metric by its whole dimension set: exactly the one the handlers publish.
    expect(inputs.dimensions).toEqual({ service: SERVICE_NAME });
    expect(inputs).toMatchObject({
      namespace: METRICS_NAMESPACE,
      metricName: SERVER_ERROR_METRIC,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  });

  it("alarms when more than 1 % of the API's requests fail with 5xx, two periods in a row", () => {
    const production = stack("production");
    const inputs = alarm("production", "Api5xxRate");
    const apiId = production.httpApi().id;
    const metrics = Object.fromEntries(inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => [q.id, q.metric]));
    expect(metrics.errors).toEqual({ namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: { ApiId: apiId }, stat: "Sum", period: 300 });
    expect(metrics.requests).toEqual({ namespace: "AWS/ApiGateway", metricName: "Count", dimensions: { ApiId: apiId }, stat: "Sum", period: 300 });
    const output = inputs.metricQueries.filter((q: any) => q.returnData);
    expect(output).toHaveLength(1);
    expect(output[0].expression).toBe("IF(requests > 0, 100 * errors / requests, 0)");
    expect(inputs).toMatchObject({ threshold: 1, evaluationPeriods: 2, datapointsToAlarm: 2, comparisonOperator: "GreaterThanThreshold" });
  });

  it("alarms on the API's p99 latency above 2.5 s, three periods in a row", () => {
    expect(alarm("production", "ApiLatencyP99")).toMatchObject({
      namespace: "AWS/ApiGateway",
      metricName: "Latency",
      dimensions: { ApiId: stack("production").httpApi().id },
      extendedStatistic: "p99",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 2500,
      comparisonOperator: "GreaterThanThreshold",
    });
  });

  it("alarms on any read or write throttle event of either table", () => {
    const production = stack("production");
    const tables = production.ofType("aws:dynamodb/table:Table").map((t) => String(t.state.name));
    const watched = ["TodosThrottles", "IdempotencyThrottles", "ConnectionsThrottles"].map((name) => {
      const inputs = alarm("production", name);
      const metrics = inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric);
      expect(metrics.map((m: any) => m.metricName).sort()).toEqual(["ReadThrottleEvents", "WriteThrottleEvents"]);
      for (const metric of metrics) expect(metric).toMatchObject({ namespace: "AWS/DynamoDB", stat: "Sum", period: 300 });
      expect(inputs.metricQueries.find((q: any) => q.returnData).expression).toBe("SUM([reads, writes])");
      expect(inputs).toMatchObject({ threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold" });
      return new Set(metrics.map((m: any) => m.dimensions.TableName)).values().next().value;
    });
    expect(watched.sort()).toEqual(tables.sort());
  });

  it("draws a dashboard of the API, the handlers' errors, the functions and both tables", () => {
    const dev = stack("dev");
    const { dashboardName, dashboardBody } = dev.one("aws:cloudwatch/dashboard:Dashboard").inputs;
    expect(dashboardName).toBe("tasks-dev");
    const metrics: string[][] = JSON.parse(dashboardBody).widgets.flatMap((w: any) => w.properties.metrics);
    expect(new Set(metrics.map((m) => m[0]))).toEqual(new Set(["AWS/ApiGateway", "AWS/Lambda", "AWS/DynamoDB", METRICS_NAMESPACE]));
    const values = metrics.map((m) => m[3]);
    expect(values).toContain(dev.httpApi().id);
    for (const table of dev.ofType("aws:dynamodb/table:Table")) expect(values).toContain(table.state.name);
    for (const route of dev.routes()) expect(values).toContain(route.fn.state.name);
    expect(values).toContain(fanOutFunction(dev).state.name);
  });
});

describe("capacity alarms (docs/capacity.md)", () => {
  it("alarms at 80 % of the account's default Lambda concurrency and API Gateway request rate", () => {
    expect(alarm("production", "LambdaConcurrency")).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "ConcurrentExecutions",
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      threshold: 800,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    expect(alarm("production", "LambdaConcurrency").dimensions).toBeUndefined();
    const production = stack("production");
    expect(alarm("production", "ApiRequestRate")).toMatchObject({
      namespace: "AWS/ApiGateway",
      metricName: "Count",
      dimensions: { ApiId: production.httpApi().id },
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 3,
      threshold: 8_000 * 60,
    });
  });
});

describe("the README's alarm list", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const row = readme.split("\n").find((line) => line.startsWith("| alarms |"));
  const words: Record<string, number> = { one: 1, two: 2, three: 3, four: 4 };

  it("names the metric, dimension and namespace the 500 alarm watches", () => {
    const inputs = alarm("production", "ApiServerErrors");
    expect(row).toContain(`\`${inputs.namespace}/${inputs.metricName}\``);
    expect(row).toContain(`\`${Object.entries(inputs.dimensions).map(([k, v]) => `${k}=${v}`).join(",")}\``);
  });

  it("states the 5xx-rate and p99-latency thresholds and periods the alarms have", () => {
    const rate = /API 5xx > ([\d.]+) % \((\w+) (\d+)-minute periods/.exec(row ?? "");
    const latency = /API p99 latency > ([\d.]+) s \((\w+) (\d+)-minute periods/.exec(row ?? "");
    expect(rate, "README: API 5xx > N % (K M-minute periods").not.toBeNull();
    expect(latency, "README: API p99 latency > N s (K M-minute periods").not.toBeNull();
    const [, rateThreshold, ratePeriods, rateMinutes] = rate!;
    expect(alarm("production", "Api5xxRate")).toMatchObject({ threshold: Number(rateThreshold), evaluationPeriods: words[ratePeriods!] });
    expect(alarm("production", "Api5xxRate").metricQueries[0].metric.period).toBe(Number(rateMinutes) * 60);
    const [, latencySeconds, latencyPeriods, latencyMinutes] = latency!;
    expect(alarm("production", "ApiLatencyP99")).toMatchObject({
      threshold: Number(latencySeconds) * 1000,
      evaluationPeriods: words[latencyPeriods!],
      period: Number(latencyMinutes) * 60,
    });
  });
});
