import { describe, expect, it } from "vitest";
import { routeKey, routes } from "../../packages/functions/src/routes";
import { evaluateApp, resolve, type EvaluatedApp } from "./sst-fakes";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:tasks-dev-Alarms";
const alarms = (env: EvaluatedApp) => env.of("aws.cloudwatch.MetricAlarm").map((a) => ({ name: a.name, args: resolve(a.args) }));
const alarm = (env: EvaluatedApp, name: string) => {
  const found = alarms(env).find((a) => a.name === name);
  if (!found) throw new Error(`no alarm ${name}`);
  return found.args;
};

describe("infra/monitoring.ts", () => {
  it("sends every alarm, and its recovery, to the alarm topic", async () => {
    const env = await evaluateApp("dev");
    expect(env.one("sst.aws.SnsTopic").name).toBe("Alarms");
    const all = alarms(env);
    // One per function; server errors, 5xx rate, p99 latency; throttles on each of the two tables.
    expect(all.length).toBe(routes.length + 5);
    for (const { name, args } of all) {
      expect(args.alarmActions, name).toEqual([TOPIC]);
      expect(args.okActions, name).toEqual([TOPIC]);
      expect(args.treatMissingData, name).toBe("notBreaching");
    }
  });

  it("subscribes ALARM_EMAIL to the topic only when it is set", async () => {
    expect((await evaluateApp("dev")).of("aws.sns.TopicSubscription")).toEqual([]);
    const env = await evaluateApp("dev", { env: { ALARM_EMAIL: "ops@example.com" } });
    expect(resolve(env.one("aws.sns.TopicSubscription").args)).toEqual({
      topic: TOPIC,
      protocol: "email",
      endpoint: "ops@example.com",
    });
  });

  it("alarms on the first error of each route's function", async () => {
    const env = await evaluateApp("dev");
    const functionNames = env
      .of("sst.aws.Function")
      .map((f) => `tasks-dev-${f.name}`)
      .sort();
    const errorAlarms = alarms(env).filter((a) => a.args.metricName === "Errors");
    expect(errorAlarms.length).toBe(routes.length);
    expect(errorAlarms.map((a) => a.args.dimensions.FunctionName).sort()).toEqual(functionNames);
    for (const { args } of errorAlarms) {
      expect(args).toMatchObject({ namespace: "AWS/Lambda", statistic: "Sum", threshold: 1 });
      expect(args.comparisonOperator).toBe("GreaterThanOrEqualToThreshold");
    }
    for (const route of routes) {
      expect(errorAlarms.some((a) => a.args.alarmDescription.startsWith(`${routeKey(route)}:`))).toBe(true);
    }
  });

  it("alarms on any 500 INTERNAL the handlers answer themselves (Lambda's Errors never sees those)", async () => {
    const args = alarm(await evaluateApp("dev"), "ApiServerErrors");
    expect(args).toMatchObject({
      namespace: "Tasks",
      metricName: "ServerError",
      dimensions: { service: "tasks" },
      statistic: "Sum",
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  });

  it("alarms when more than 1% of API requests fail with 5xx", async () => {
    const args = alarm(await evaluateApp("dev"), "Api5xxRate");
    const metrics = Object.fromEntries(args.metricQueries.filter((q: any) => q.metric).map((q: any) => [q.id, q.metric]));
    expect(metrics.errors).toMatchObject({ namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: { ApiId: "apiid" } });
    expect(metrics.requests).toMatchObject({ namespace: "AWS/ApiGateway", metricName: "Count", dimensions: { ApiId: "apiid" } });
    const output = args.metricQueries.filter((q: any) => q.returnData);
    expect(output).toHaveLength(1);
    expect(output[0].expression).toContain("100 * errors / requests");
    expect(args.threshold).toBe(1);
    expect(args.comparisonOperator).toBe("GreaterThanThreshold");
  });

  it("alarms on API p99 latency well under the function timeout", async () => {
    const args = alarm(await evaluateApp("dev"), "ApiLatencyP99");
    expect(args).toMatchObject({ namespace: "AWS/ApiGateway", metricName: "Latency", extendedStatistic: "p99", dimensions: { ApiId: "apiid" } });
    expect(args.threshold).toBeGreaterThanOrEqual(1000);
    expect(args.threshold).toBeLessThan(10_000);
  });

  it.each([
    ["TodosThrottles", "tasks-dev-TodosTable"],
    ["IdempotencyThrottles", "tasks-dev-IdempotencyTable"],
  ] as const)("%s sums the table's read and write throttle events", async (name, table) => {
    const args = alarm(await evaluateApp("dev"), name);
    const metrics = args.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric);
    expect(metrics.map((m: any) => m.metricName).sort()).toEqual(["ReadThrottleEvents", "WriteThrottleEvents"]);
    for (const metric of metrics) {
      expect(metric).toMatchObject({ namespace: "AWS/DynamoDB", stat: "Sum", dimensions: { TableName: table } });
      expect(Object.keys(metric.dimensions)).toEqual(["TableName"]);
    }
    const sum = args.metricQueries.find((q: any) => q.returnData);
    expect(sum.expression).toBe("SUM([reads, writes])");
    expect(args.threshold).toBe(1);
  });

  it("draws a dashboard of the API, the functions and both tables", async () => {
    const env = await evaluateApp("dev");
    const { dashboardName, dashboardBody } = resolve(env.one("aws.cloudwatch.Dashboard").args);
    expect(dashboardName).toBe("tasks-dev");
    const metrics = JSON.parse(dashboardBody).widgets.flatMap((w: any) => w.properties.metrics);
    const namespaces = new Set(metrics.map((m: string[]) => m[0]));
    expect(namespaces).toEqual(new Set(["AWS/ApiGateway", "AWS/Lambda", "AWS/DynamoDB"]));
    const dimensionValues = metrics.map((m: string[]) => m[3]);
    expect(dimensionValues).toContain("apiid");
    expect(dimensionValues).toContain("tasks-dev-TodosTable");
    expect(dimensionValues).toContain("tasks-dev-IdempotencyTable");
    for (const fn of env.of("sst.aws.Function")) expect(dimensionValues).toContain(`tasks-dev-${fn.name}`);
  });
});
