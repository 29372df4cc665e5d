import { defineProject } from "vitest/config";

/**
 * Integration tests of the offline stack: real DynamoDB Local (Java), real cognito-local, the
 * local gateway and the real handlers. Slow to start, hence the generous timeouts.
 */
export default defineProject({
  test: {
    name: "local",
    environment: "node",
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    globalSetup: ["./test-support/dynamodb-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: {
      POWERTOOLS_LOG_LEVEL: "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});
