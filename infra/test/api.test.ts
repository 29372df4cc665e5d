import { afterEach, describe, expect, it, vi } from "vitest";
import { routeKey, routes } from "../../packages/functions/src/routes";
import { API_THROTTLE } from "../limits";
import { assertRouteIsSafe, functionPermissions } from "../route-permissions";
import { routeRegistrationProblems } from "./route-checks";
import { evaluateApp, resolve, type RecordEntry } from "./sst-fakes";

const ROUTES_MODULE = "../../packages/functions/src/routes";

/** Evaluates the app with extra entries appended to THE route table. */
async function evaluateWithExtraRoutes(extra: unknown[]) {
  vi.doMock(ROUTES_MODULE, async (importOriginal) => {
    const original = await importOriginal<typeof import("../../packages/functions/src/routes")>();
    return { ...original, routes: [...original.routes, ...extra] };
  });
  return evaluateApp("dev");
}

afterEach(() => {
  vi.doUnmock(ROUTES_MODULE);
});

function routeEntry(records: RecordEntry[], key: string) {
  const entry = records.find((r) => r.type === "sst.aws.ApiGatewayV2LambdaRoute" && r.name === key);
  if (!entry) throw new Error(`${key} not registered`);
  return resolve(entry.args);
}

describe("infra/api.ts", () => {
  it("registers every route of the route table, once, each behind the Cognito JWT authorizer", async () => {
    const env = await evaluateApp("dev");
    expect(env.of("sst.aws.ApiGatewayV2LambdaRoute").map((r) => r.name).sort()).toEqual(routes.map(routeKey).sort());
    expect(routeRegistrationProblems(env, routes)).toEqual([]);
    for (const route of routes) {
      expect(routeEntry(env.records, routeKey(route)).auth).toEqual({ jwt: { authorizer: "CognitoAuthorizerId" } });
    }
  });

  it("trusts tokens from its own user pool and web client only", async () => {
    const env = await evaluateApp("dev");
    const authorizer = env.one("sst.aws.ApiGatewayV2Authorizer");
    expect(authorizer.parent).toBe("Api");
    expect(resolve(authorizer.args.jwt)).toEqual({
      issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_UserPoolId",
      audiences: ["WebClientId"],
    });
  });

  it("registers no ANY or $default route", async () => {
    const names = (await evaluateApp("dev")).of("sst.aws.ApiGatewayV2LambdaRoute").map((r) => r.name);
    expect(names.filter((n) => n.startsWith("ANY ") || n.includes("$default"))).toEqual([]);
  });

  it("points each route at its handler module", async () => {
    const env = await evaluateApp("dev");
    for (const route of routes) {
      expect(routeEntry(env.records, routeKey(route)).handler.handler).toBe(
        `packages/functions/src/${route.handler}.handler`,
      );
    }
  });

  it("grants each function exactly the route table's actions, on exactly that table's ARN", async () => {
    const env = await evaluateApp("dev");
    const todosArn = "arn:aws:dynamodb:us-east-1:123456789012:table/tasks-dev-TodosTable";
    const idempotencyArn = "arn:aws:dynamodb:us-east-1:123456789012:table/tasks-dev-IdempotencyTable";
    for (const route of routes) {
      const { permissions } = routeEntry(env.records, routeKey(route)).handler;
      const expected = [{ actions: [...route.permissions.todos], resources: [todosArn] }];
      const idempotency = (route.permissions as { idempotency?: readonly string[] }).idempotency;
      if (idempotency) expected.push({ actions: [...idempotency], resources: [idempotencyArn] });
      expect(permissions, routeKey(route)).toEqual(expected);
    }
  });

  it("never grants a wildcard action or resource, and never links the tables", async () => {
    const env = await evaluateApp("dev");
    for (const route of routes) {
      const handler = routeEntry(env.records, routeKey(route)).handler;
      expect(handler.link).toBeUndefined();
      for (const statement of handler.permissions) {
        for (const action of statement.actions) expect(action).toMatch(/^dynamodb:[A-Za-z]+$/);
        for (const resource of statement.resources) expect(resource).not.toContain("*");
      }
    }
  });

  it("passes the table names and Powertools settings as environment variables", async () => {
    const env = await evaluateApp("dev");
    for (const route of routes) {
      expect(routeEntry(env.records, routeKey(route)).handler.environment).toEqual({
        TODOS_TABLE_NAME: "tasks-dev-TodosTable",
        IDEMPOTENCY_TABLE_NAME: "tasks-dev-IdempotencyTable",
        POWERTOOLS_SERVICE_NAME: "tasks",
        POWERTOOLS_METRICS_NAMESPACE: "Tasks",
        POWERTOOLS_LOG_LEVEL: "INFO",
      });
    }
  });

  it("throttles the stage at the shared rate and burst", async () => {
    expect(API_THROTTLE).toEqual({ rateLimit: 50, burstLimit: 100 });
    const { args } = (await evaluateApp("dev")).one("sst.aws.ApiGatewayV2", "Api");
    expect(args.transform.stage.defaultRouteSettings).toMatchObject({
      throttlingRateLimit: API_THROTTLE.rateLimit,
      throttlingBurstLimit: API_THROTTLE.burstLimit,
    });
  });

  it("keeps access logs a month, a year on production", async () => {
    expect((await evaluateApp("dev")).one("sst.aws.ApiGatewayV2").args.accessLog).toEqual({ retention: "1 month" });
    const production = await evaluateApp("production", { env: { TASKS_DOMAIN: "tasks.example.com" } });
    expect(production.one("sst.aws.ApiGatewayV2").args.accessLog).toEqual({ retention: "1 year" });
  });

  it("allows CORS from the site's origin only, with the headers and methods the SPA uses", async () => {
    const production = await evaluateApp("production", { env: { TASKS_DOMAIN: "tasks.example.com" } });
    const cors = production.one("sst.aws.ApiGatewayV2").args.cors;
    expect(cors.allowOrigins).toEqual(["https://tasks.example.com"]);
    expect([...cors.allowHeaders].sort()).toEqual(["authorization", "content-type", "idempotency-key", "if-match"]);
    expect([...cors.allowMethods].sort()).toEqual(["DELETE", "GET", "PATCH", "POST"]);
    expect([...cors.exposeHeaders].sort()).toEqual(["location", "retry-after"]);
    expect(cors.allowCredentials).toBe(false);
  });

  it("allows a stage's own subdomain, an explicit origin, or the Vite dev server — never *", async () => {
    const origins = async (stage: string, options: Parameters<typeof evaluateApp>[1]) =>
      (await evaluateApp(stage, options)).one("sst.aws.ApiGatewayV2").args.cors.allowOrigins;
    expect(await origins("staging", { env: { TASKS_DOMAIN: "tasks.example.com" } })).toEqual([
      "https://staging.tasks.example.com",
    ]);
    expect(await origins("dev", { env: { SITE_ORIGIN: "https://d1.cloudfront.net/" } })).toEqual([
      "https://d1.cloudfront.net",
    ]);
    expect(await origins("dev", {})).toEqual(["http://localhost:5173"]);
    expect(await origins("alice", { dev: true, env: { TASKS_DOMAIN: "tasks.example.com" } })).toEqual([
      "http://localhost:5173",
    ]);
  });

  it("refuses to deploy production without a known site origin", async () => {
    await expect(evaluateApp("production")).rejects.toThrow(/TASKS_DOMAIN/);
  });
});

describe("a route added to the route table", () => {
  const health = {
    method: "GET",
    path: "/health",
    handler: "health",
    permissions: { todos: ["dynamodb:GetItem"] },
  };

  it("is registered behind the JWT authorizer automatically, with only its own actions", async () => {
    const env = await evaluateWithExtraRoutes([health]);
    expect(routeRegistrationProblems(env, [...routes, health as never])).toEqual([]);
    const entry = routeEntry(env.records, "GET /health");
    expect(entry.auth).toEqual({ jwt: { authorizer: "CognitoAuthorizerId" } });
    expect(entry.handler.permissions).toEqual([
      { actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/tasks-dev-TodosTable"] },
    ]);
  });

  it("fails the check when it is registered without auth", async () => {
    const env = await evaluateApp("dev");
    const records = env.records.map((r) =>
      r.type === "sst.aws.ApiGatewayV2LambdaRoute" && r.name === "GET /todos" ? { ...r, args: { ...r.args, auth: undefined } } : r,
    );
    const of = (type: string) => records.filter((r) => r.type === type);
    expect(routeRegistrationProblems({ of }, routes)).toEqual(["GET /todos: no JWT authorizer"]);
  });

  it("fails the check when it is in the table but not registered", async () => {
    const env = await evaluateApp("dev");
    expect(routeRegistrationProblems(env, [...routes, { method: "GET", path: "/health" }])).toEqual([
      "GET /health: registered 0 times",
    ]);
  });

  it("stops the deploy when it is an ANY route", async () => {
    await expect(evaluateWithExtraRoutes([{ ...health, method: "ANY", path: "/{proxy+}" }])).rejects.toThrow(
      /ANY \/\{proxy\+\}: method must be one of/,
    );
  });

  it("stops the deploy when it asks for a wildcard action", async () => {
    await expect(
      evaluateWithExtraRoutes([{ ...health, permissions: { todos: ["dynamodb:*"] } }]),
    ).rejects.toThrow(/"dynamodb:\*" on todos is not one concrete action/);
    expect(() =>
      assertRouteIsSafe({ ...health, method: "GET", permissions: { todos: ["dynamodb:Query"], idempotency: ["dynamodb:Get*"] } } as never),
    ).toThrow(/dynamodb:Get\*/);
  });

  it("stops the deploy when it grants nothing on the todos table or has no absolute path", async () => {
    expect(() => assertRouteIsSafe({ ...health, permissions: { todos: [] } } as never)).toThrow(/no actions/);
    expect(() => assertRouteIsSafe({ ...health, path: "$default" } as never)).toThrow(/absolute/);
  });

  it("gets statements only for the tables it lists", () => {
    expect(functionPermissions({ permissions: { todos: ["dynamodb:Query"], idempotency: [] } }, { todos: "T", idempotency: "I" })).toEqual([
      { actions: ["dynamodb:Query"], resources: ["T"] },
    ]);
  });
});
