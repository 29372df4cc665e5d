import { describe, expect, it } from "vitest";
import { evaluateApp } from "./sst-fakes";

describe("sst.config.ts", () => {
  it("retains and protects production", async () => {
    const { app } = await evaluateApp("production", { env: { TASKS_DOMAIN: "tasks.example.com" } });
    expect(app).toMatchObject({ name: "tasks", home: "aws", removal: "retain", protect: true });
  });

  it.each(["dev", "staging", "pr-42"])("removes everything and protects nothing on %s", async (stage) => {
    const { app } = await evaluateApp(stage);
    expect(app).toMatchObject({ name: "tasks", home: "aws", removal: "remove", protect: false });
  });

  it("pins the region (TASKS_REGION overrides the default)", async () => {
    expect((await evaluateApp("dev")).app.providers.aws.region).toBe("us-east-1");
    const moved = await evaluateApp("dev", { env: { TASKS_REGION: "eu-west-1" } });
    expect(moved.app.providers.aws.region).toBe("eu-west-1");
    expect(moved.outputs.region).toBe("eu-west-1");
  });

  it("returns the outputs the SPA and the README talk about", async () => {
    const { outputs } = await evaluateApp("dev");
    expect(outputs).toEqual({
      siteUrl: "https://d111111abcdef8.cloudfront.net",
      apiUrl: "https://apiid.execute-api.us-east-1.amazonaws.com",
      userPoolId: "us-east-1_UserPoolId",
      userPoolClientId: "WebClientId",
      region: "us-east-1",
      todosTable: "tasks-dev-TodosTable",
      idempotencyTable: "tasks-dev-IdempotencyTable",
    });
  });

  it("uses the custom domain as the site URL when one is configured", async () => {
    const { outputs } = await evaluateApp("staging", { env: { TASKS_DOMAIN: "tasks.example.com" } });
    expect(outputs.siteUrl).toBe("https://staging.tasks.example.com");
  });

  it("sets function defaults through one $transform: arm64, Node.js 22, memory, timeout, JSON logs kept", async () => {
    const dev = await evaluateApp("dev");
    const functions = dev.of("sst.aws.Function");
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.args).toMatchObject({
        architecture: "arm64",
        runtime: "nodejs22.x",
        memory: "512 MB",
        timeout: "10 seconds",
        logging: { format: "json", retention: "1 month" },
      });
    }
    const production = await evaluateApp("production", { env: { TASKS_DOMAIN: "tasks.example.com" } });
    for (const fn of production.of("sst.aws.Function")) expect(fn.args.logging.retention).toBe("1 year");
  });

  it("lets a function override a default (the transform only fills gaps)", async () => {
    const { transforms } = await evaluateApp("dev");
    const [transform] = transforms.get("sst.aws.Function") ?? [];
    const args: Record<string, unknown> = { handler: "x.handler", memory: "1024 MB" };
    transform!(args, {});
    expect(args).toMatchObject({ memory: "1024 MB", architecture: "arm64" });
  });
});
