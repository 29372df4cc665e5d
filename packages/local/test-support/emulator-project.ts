/**
 * The vitest project settings every package that tests against DynamoDB Local shares: the one
 * global setup that starts it, and quiet handlers (no log lines, no metrics).
 */
import { fileURLToPath } from "node:url";
import { defineProject, type UserWorkspaceConfig } from "vitest/config";

const globalSetup = fileURLToPath(new URL("./dynamodb-global-setup.ts", import.meta.url));

export function emulatorProject(name: string, test: UserWorkspaceConfig["test"] = {}) {
  return defineProject({
    test: {
      name,
      environment: "node",
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      globalSetup: [globalSetup],
      env: {
        POWERTOOLS_LOG_LEVEL: "SILENT",
        POWERTOOLS_METRICS_DISABLED: "true",
      },
      ...test,
    },
  });
}
