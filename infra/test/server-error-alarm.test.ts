/**
 * The 500 alarm watches the metric the handlers really publish: a real handler, configured with
 * the environment the evaluated Lambda function gets, answers 500 (and 503), and the embedded
 * metric format it prints is compared with the alarm from the same evaluation. CloudWatch only
 * matches a metric whose namespace, name and full set of dimensions are the alarm's.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { accessClaims, apiEvent, lambdaContext } from "../../packages/functions/test/api-event";
import { stack } from "./support/stack";

interface EmfBlob {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

const production = stack("production");
const route = production.route("GET /todos/{id}");
const deployedEnvironment = route.fn.inputs.environment.variables as Record<string, string>;

/** Calls the real GET /todos/{id} handler with the deployed environment (plus `env`), returns the EMF it printed. */
async function invoke(env: Record<string, string | undefined>): Promise<{ status: number | undefined; emf: EmfBlob[] }> {
  vi.resetModules();
  const quiet = { POWERTOOLS_LOG_LEVEL: "SILENT", POWERTOOLS_METRICS_DISABLED: undefined, POWERTOOLS_DEV: undefined };
  for (const [key, value] of Object.entries({ ...deployedEnvironment, ...quiet, ...env })) vi.stubEnv(key, value);
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split("\n"));
    return true;
  });
  try {
    const { handler } = await import("../../packages/functions/src/todos/get");
    const id = "01JD0000000000000000000000";
    const event = apiEvent({ method: "GET", path: `/todos/${id}`, routePath: "/todos/{id}", pathParameters: { id }, claims: accessClaims("alice") });
    const result = await handler(event, lambdaContext());
    const emf = lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfBlob);
    return { status: result.statusCode, emf };
  } finally {
    write.mockRestore();
  }
}

/** The blobs that publish `metricName`, with the namespace and dimension sets they publish it under. */
function published(emf: EmfBlob[], metricName: string) {
  return emf.flatMap((blob) =>
    blob._aws.CloudWatchMetrics.filter((d) => d.Metrics.some((m) => m.Name === metricName)).map((directive) => ({
      namespace: directive.Namespace,
      unit: directive.Metrics.find((m) => m.Name === metricName)!.Unit,
      dimensionSets: directive.Dimensions.map((set) => Object.fromEntries(set.map((key) => [key, blob[key]]))),
      value: blob[metricName],
    })),
  );
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the 500 alarm and the handlers' metric", () => {
  const alarm = production.one("aws:cloudwatch/metricAlarm:MetricAlarm", "ApiServerErrors").inputs;

  it("a 500 INTERNAL publishes exactly the metric the alarm watches, enough to fire it", async () => {
    // A function deployed without its table name fails on first use: an unexpected error.
    const { status, emf } = await invoke({ TODOS_TABLE_NAME: undefined });
    expect(status).toBe(500);
    const metrics = published(emf, alarm.metricName);
    expect(metrics).toEqual([{ namespace: alarm.namespace, unit: "Count", dimensionSets: [alarm.dimensions], value: 1 }]);
    // One 500 in a period is enough: the alarm sums the count and fires at its threshold.
    expect(alarm).toMatchObject({ statistic: "Sum", comparisonOperator: "GreaterThanOrEqualToThreshold" });
    expect(metrics[0]!.value as number).toBeGreaterThanOrEqual(alarm.threshold);
  });

  it("a 503 SERVICE_UNAVAILABLE (DynamoDB unreachable) does not count as a 500: it has its own metric", async () => {
    const { status, emf } = await invoke({
      DYNAMODB_ENDPOINT: "http://127.0.0.1:9", // discard port: nothing listens there
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
    expect(status).toBe(503);
    expect(published(emf, alarm.metricName)).toEqual([]);
    expect(published(emf, "ServiceUnavailable")).toEqual([
      { namespace: alarm.namespace, unit: "Count", dimensionSets: [alarm.dimensions], value: 1 },
    ]);
  });
});
