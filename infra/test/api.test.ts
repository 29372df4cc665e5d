import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_TABLE, TODOS_TABLE } from "../../packages/core/src/keys";
import { routeKey, routes, type Route } from "../../packages/functions/src/routes";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../../packages/functions/src/telemetry-names";
import { API_CORS, API_THROTTLE } from "../limits";
import { inlinePolicies, list, type DeployedStack } from "../platform/deployed-stack";
import { DOMAIN, EXPLICIT_ORIGIN, EXTRA_ROUTE } from "./support/scenarios";
import { evaluationError, stack } from "./support/stack";

/** Which table each key of a route's `permissions` means: the one keyed as core says. */
const TABLE_BY_PERMISSION_KEY: Record<string, string> = {
  todos: TODOS_TABLE.partitionKey,
  idempotency: IDEMPOTENCY_TABLE.partitionKey,
};
/** …and which component of infra/storage.ts declares it. */
const COMPONENT_BY_HASH_KEY: Record<string, string> = { [TODOS_TABLE.partitionKey]: "Todos", [IDEMPOTENCY_TABLE.partitionKey]: "Idempotency" };

function tableArn(deployed: DeployedStack, permissionKey: string): string {
  const hashKey = TABLE_BY_PERMISSION_KEY[permissionKey];
  if (!hashKey) throw new Error(`routes.ts grants on a table "${permissionKey}" this test does not know: add it above`);
  const table = deployed.table(COMPONENT_BY_HASH_KEY[hashKey]!);
  expect(table.inputs.hashKey).toBe(hashKey);
  return String(table.state.arn);
}

/** The IAM statements the route table asks for: its actions, each on its one table's ARN. */
function expectedStatements(deployed: DeployedStack, route: Pick<Route, "permissions">) {
  return Object.entries(route.permissions as Record<string, readonly string[] | undefined>)
    .filter(([, actions]) => (actions ?? []).length > 0)
    .map(([key, actions]) => ({ Effect: "Allow", Action: [...actions!].sort(), Resource: [tableArn(deployed, key)] }));
}

function grantedStatements(deployed: DeployedStack, key: string) {
  return inlinePolicies(deployed.route(key).role).flatMap((document) =>
    document.Statement.map((s) => ({ Effect: s.Effect, Action: list(s.Action).sort(), Resource: list(s.Resource) })),
  );
}

const DEPLOYED = ["dev", "staging", "production"] as const;
const previewRoutes = [...routes, EXTRA_ROUTE] as readonly Route[];

describe("infra/api.ts: routes", () => {
  it.each([...DEPLOYED, "sstDev"] as const)("registers every route of the route table once, and nothing else (%s)", (name) => {
    expect(stack(name).routes().map((r) => r.routeKey).sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each([...DEPLOYED, "sstDev"] as const)("puts every route behind the Cognito JWT authorizer (%s)", (name) => {
    const deployed = stack(name);
    const api = deployed.httpApi();
    const authorizer = deployed.oneOfApi(api, "aws:apigatewayv2/authorizer:Authorizer");
    for (const { routeKey: key, route } of deployed.routes()) {
      expect(route.inputs, key).toMatchObject({ apiId: api.id, authorizationType: "JWT", authorizerId: authorizer.id });
    }
  });

  it.each(DEPLOYED)("trusts tokens from its own user pool and SPA client only (%s)", (name) => {
    const deployed = stack(name);
    const pool = deployed.one("aws:cognito/userPool:UserPool");
    const region = deployed.evaluation.app.providers.aws?.region;
    expect(deployed.oneOfApi(deployed.httpApi(), "aws:apigatewayv2/authorizer:Authorizer").inputs).toMatchObject({
      apiId: deployed.httpApi().id,
      authorizerType: "JWT",
      identitySources: ["$request.header.Authorization"],
      jwtConfiguration: {
        issuer: `https://cognito-idp.${region}.amazonaws.com/${pool.id}`,
        audiences: [deployed.one("aws:cognito/userPoolClient:UserPoolClient").id],
      },
    });
  });

  it("sends each route to its own function, built from the handler the route table names", () => {
    const dev = stack("dev");
    for (const route of routes) {
      const deployed = dev.route(routeKey(route));
      expect(deployed.integration.inputs.integrationUri, routeKey(route)).toBe(deployed.fn.state.arn);
      expect(deployed.route.inputs.target).toBe(`integrations/${deployed.integration.id}`);
      expect(deployed.fn.inputs.handler).toBe(`packages/functions/src/${route.handler}.handler`);
    }
    expect(new Set(dev.routes().map((r) => r.fn.urn)).size).toBe(routes.length);
  });

  it.each(["dev", "production"] as const)("grants each function exactly the route table's actions on exactly those tables (%s)", (name) => {
    const deployed = stack(name);
    for (const route of routes) {
      const key = routeKey(route);
      expect(grantedStatements(deployed, key), key).toEqual(expectedStatements(deployed, route));
      expect(deployed.route(key).role.inputs.managedPolicyArns, key).toEqual([
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      ]);
    }
  });

  it("gives the handlers the table names and Powertools settings, and links nothing", () => {
    const dev = stack("dev");
    const tableName = (hashKey: string) => dev.table(COMPONENT_BY_HASH_KEY[hashKey]!).state.name;
    for (const { routeKey: key, fn } of dev.routes()) {
      const variables = fn.inputs.environment.variables as Record<string, string>;
      expect(variables, key).toMatchObject({
        TODOS_TABLE_NAME: tableName(TODOS_TABLE.partitionKey),
        IDEMPOTENCY_TABLE_NAME: tableName(IDEMPOTENCY_TABLE.partitionKey),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: "INFO",
      });
      // A linked resource would appear as SST_RESOURCE_<name> (and grant dynamodb:* on a table).
      expect(Object.keys(variables).filter((v) => v.startsWith("SST_RESOURCE_")), key).toEqual(["SST_RESOURCE_App"]);
    }
  });

  it("picks up a route added to the route table, behind the authorizer, with only its own actions", () => {
    const preview = stack("preview");
    expect(preview.routes().map((r) => r.routeKey).sort()).toEqual(previewRoutes.map(routeKey).sort());
    const health = preview.route(routeKey(EXTRA_ROUTE));
    expect(health.route.inputs).toMatchObject({ authorizationType: "JWT", authorizerId: preview.oneOfApi(preview.httpApi(), "aws:apigatewayv2/authorizer:Authorizer").id });
    expect(grantedStatements(preview, routeKey(EXTRA_ROUTE))).toEqual([
      { Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [tableArn(preview, "todos")] },
    ]);
  });

  it("refuses to deploy an ANY route (CORS preflight would need a token)", () => {
    expect(evaluationError("anyRoute")).toMatch(/ANY \/\{proxy\+\}: method must be one of GET, POST, PATCH, DELETE/);
  });
});

describe("infra/api.ts: the stage", () => {
  it.each(DEPLOYED)("throttles every route at the shared rate and burst, with detailed metrics (%s)", (name) => {
    expect(API_THROTTLE).toEqual({ rateLimit: 2_300, burstLimit: 2_300 }); // docs/capacity.md
    expect(stack(name).oneOfApi(stack(name).httpApi(), "aws:apigatewayv2/stage:Stage").inputs.defaultRouteSettings).toEqual({
      throttlingRateLimit: API_THROTTLE.rateLimit,
      throttlingBurstLimit: API_THROTTLE.burstLimit,
      detailedMetricsEnabled: true,
    });
  });

  it("writes JSON access logs, kept a month, a year on production", () => {
    for (const [name, days] of [["dev", 30], ["production", 365]] as const) {
      const deployed = stack(name);
      const api = deployed.one("sst:aws:ApiGatewayV2", "Api");
      const logGroup = deployed.oneWithin(api, "aws:cloudwatch/logGroup:LogGroup");
      const settings = deployed.oneOfApi(deployed.httpApi(), "aws:apigatewayv2/stage:Stage").inputs.accessLogSettings;
      expect(settings.destinationArn, name).toBe(logGroup.state.arn);
      const format = JSON.parse(settings.format) as Record<string, string>;
      expect(format.requestId).toContain("$context.requestId");
      expect(format.status).toContain("$context.status");
      expect(logGroup.inputs.retentionInDays, name).toBe(days);
    }
  });
});

describe("infra/api.ts: CORS", () => {
  const cors = (name: Parameters<typeof stack>[0]) => stack(name).httpApi().inputs.corsConfiguration;

  it("allows the site's origin only, with the methods and headers the SPA uses", () => {
    expect(cors("production")).toEqual({
      allowOrigins: [`https://${DOMAIN}`],
      allowMethods: [...API_CORS.allowMethods],
      allowHeaders: [...API_CORS.allowHeaders],
      exposeHeaders: [...API_CORS.exposeHeaders],
      allowCredentials: false,
      maxAge: API_CORS.maxAgeSeconds,
    });
  });

  it("allows a stage's own subdomain, an explicit origin, or the Vite dev server — never *", () => {
    expect(cors("staging").allowOrigins).toEqual([`https://staging.${DOMAIN}`]);
    expect(cors("preview").allowOrigins).toEqual([EXPLICIT_ORIGIN]);
    expect(cors("dev").allowOrigins).toEqual(["http://localhost:5173"]);
    expect(cors("sstDev").allowOrigins).toEqual(["http://localhost:5173"]);
  });

  it("refuses to deploy production without a known site origin", () => {
    expect(evaluationError("productionWithoutDomain")).toMatch(/The production stage needs TASKS_DOMAIN/);
  });
});
