/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Tasks on AWS: a table of contents. Each infra/*.ts file is one concern; the README's "Deploy"
 * section has the diagram. Production keeps its data (retain + protect); every other stage is
 * disposable.
 */
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "tasks",
      home: "aws",
      removal: production ? "retain" : "remove",
      protect: production,
      providers: { aws: { region: process.env.TASKS_REGION ?? "us-east-1" } },
    };
  },
  async run() {
    const { logRetention, region } = await import("./infra/stage");
    const { withLambdaOnlyTrust } = await import("./infra/function-role");

    // Defaults for every function (each API route's handler is one). A route may override them.
    $transform(sst.aws.Function, (args) => {
      args.architecture ??= "arm64";
      args.runtime ??= "nodejs24.x";
      args.memory ??= "512 MB"; // also buys CPU: cold starts of the bundled SDK stay short
      args.timeout ??= "10 seconds"; // the handlers answer 503 half a second before it (http-handler.ts)
      args.logging ??= { format: "json", retention: logRetention };
      // Only Lambda may assume a deployed function's role (SST 4.17.1 trusts the account too).
      args.transform = { ...args.transform, role: withLambdaOnlyTrust(args) };
    });

    const { todosTable, idempotencyTable } = await import("./infra/storage");
    const { userPool, userPoolClient } = await import("./infra/auth");
    const { api } = await import("./infra/api");
    const { live, connectionsTable } = await import("./infra/realtime");
    const { web } = await import("./infra/web");
    await import("./infra/monitoring");

    return {
      siteUrl: web.url,
      apiUrl: api.url,
      wsUrl: live.url,
      userPoolId: userPool.id,
      userPoolClientId: userPoolClient.id,
      region,
      todosTable: todosTable.name,
      idempotencyTable: idempotencyTable.name,
      connectionsTable: connectionsTable.name,
    };
  },
});
