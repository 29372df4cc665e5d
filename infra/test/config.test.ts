import { describe, expect, it } from "vitest";
import { FAN_OUT } from "../../packages/functions/src/live/fan-out-settings";
import { trustedPrincipals } from "../platform/deployed-stack";
import { MOCK_ACCOUNT } from "../platform/runtime/aws-mocks";
import { DOMAIN } from "./support/scenarios";
import { stack } from "./support/stack";

const DEPLOYED = ["dev", "staging", "production", "preview"] as const;

describe("sst.config.ts: the app", () => {
  it("retains and protects production: sst remove refuses, and its tables outlive a removal", () => {
    const production = stack("production");
    expect(production.evaluation.app).toMatchObject({ name: "tasks", home: "aws", removal: "retain", protect: true });
    expect(production.outputs._protect).toBe(true);
    // SST's removal policy "retain" keeps the stateful resources it knows of on `sst remove`.
    for (const table of production.ofType("aws:dynamodb/table:Table")) expect(table.retainOnDelete, table.name).toBe(true);
  });

  it.each(["dev", "staging", "preview", "sstDev"] as const)("removes everything and protects nothing on %s", (name) => {
    const deployed = stack(name);
    expect(deployed.evaluation.app).toMatchObject({ name: "tasks", home: "aws", removal: "remove", protect: false });
    expect(deployed.outputs._protect).toBe(false);
    // Except API Gateway's account-wide logging role and setting, which SST makes for a WebSocket
    // API's access log when the account has none (helpers/apigateway-account.ts) and keeps on
    // purpose: every API of the account logs through them.
    const accountWide = ["APIGatewayPushToCloudWatchLogsRole", "LiveAPIGatewayAccountSetup"];
    const kept = deployed.resources.filter((r) => r.retainOnDelete || r.protect).map((r) => r.name);
    expect(kept.filter((resource) => !accountWide.includes(resource))).toEqual([]);
    expect(deployed.resources.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
  });

  it("pins the region (TASKS_REGION overrides us-east-1) and builds everything there", () => {
    expect(stack("dev").evaluation.app.providers.aws).toEqual({ region: "us-east-1" });
    const staging = stack("staging");
    expect(staging.evaluation.app.providers.aws).toEqual({ region: "eu-west-1" });
    expect(staging.outputs.region).toBe("eu-west-1");
    for (const table of staging.ofType("aws:dynamodb/table:Table")) {
      expect(table.state.arn).toMatch(/^arn:aws:dynamodb:eu-west-1:/);
    }
  });

  it("outputs what the SPA and the README name, taken from the resources", () => {
    const dev = stack("dev");
    const pool = dev.one("aws:cognito/userPool:UserPool");
    expect(pool.id).toMatch(/^us-east-1_/);
    const tables = { userId: dev.table("Todos").state.name, id: dev.table("Idempotency").state.name };
    expect(dev.outputs).toEqual({
      siteUrl: `https://${dev.one("aws:cloudfront/distribution:Distribution").state.domainName}`,
      apiUrl: dev.httpApi().state.apiEndpoint,
      wsUrl: `${dev.webSocketApi().state.apiEndpoint}/$default`,
      userPoolId: pool.id,
      userPoolClientId: dev.one("aws:cognito/userPoolClient:UserPoolClient").id,
      region: "us-east-1",
      todosTable: tables.userId,
      idempotencyTable: tables.id,
      connectionsTable: dev.table("Connections").state.name,
      _protect: false,
    });
    expect(stack("staging").outputs.siteUrl).toBe(`https://staging.${DOMAIN}`);
    expect(stack("production").outputs.siteUrl).toBe(`https://${DOMAIN}`);
    expect(stack("sstDev").outputs.siteUrl).toBe("http://localhost:5173");
  });
});

describe("sst.config.ts: every function", () => {
  /** 10 s, but the stream fan-out's own (its SDK retries may outlast an API request's budget). */
  const timeoutOf = (fn: { name: string }) => (fn.name.startsWith("TodosSubscriberLiveFanOut") ? FAN_OUT.timeoutSeconds : 10);

  it.each(DEPLOYED)("runs Node.js 24 on arm64 with 512 MB, a 10 s timeout and JSON logs (%s)", (name) => {
    const functions = stack(name).ofType("aws:lambda/function:Function");
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.inputs, fn.name).toMatchObject({
        runtime: "nodejs24.x",
        architectures: ["arm64"],
        memorySize: 512,
        timeout: timeoutOf(fn),
        loggingConfig: { logFormat: "JSON" },
      });
    }
  });

  it("is SST's live bridge under sst dev (the handlers run on your machine), with the same memory and timeout", () => {
    for (const fn of stack("sstDev").ofType("aws:lambda/function:Function")) {
      expect(fn.inputs, fn.name).toMatchObject({ runtime: "provided.al2023", handler: "bootstrap", memorySize: 512, timeout: timeoutOf(fn) });
    }
  });

  it("keeps function logs a month, a year on production", () => {
    const retention = (name: "dev" | "production") =>
      new Set(stack(name).routes().map((route) => route.logGroup.inputs.retentionInDays));
    expect(retention("dev")).toEqual(new Set([30]));
    expect(retention("production")).toEqual(new Set([365]));
  });

  /** A function's role; not the account-wide role API Gateway logs with (SST makes it for the WebSocket API's access log). */
  const functionRoles = (name: Parameters<typeof stack>[0]) =>
    stack(name).ofType("aws:iam/role:Role").filter((role) => role.name !== "APIGatewayPushToCloudWatchLogsRole");

  it("gives API Gateway's logging role to API Gateway only", () => {
    const role = stack("dev").one("aws:iam/role:Role", "APIGatewayPushToCloudWatchLogsRole");
    expect(trustedPrincipals(role)).toEqual(["Service:apigateway.amazonaws.com"]);
  });

  it.each(DEPLOYED)("has a role only Lambda may assume on a deployed stage (%s)", (name) => {
    for (const role of functionRoles(name)) {
      expect(trustedPrincipals(role), role.name).toEqual(["Service:lambda.amazonaws.com"]);
    }
  });

  it("has a role the account may also assume under sst dev, where the handlers run on your machine", () => {
    for (const role of functionRoles("sstDev")) {
      expect(trustedPrincipals(role), role.name).toEqual([`AWS:arn:aws:iam::${MOCK_ACCOUNT}:root`, "Service:lambda.amazonaws.com"]);
    }
  });
});
