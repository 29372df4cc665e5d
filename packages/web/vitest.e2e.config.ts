import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

/**
 * End-to-end tests: the offline stack (DynamoDB Local, cognito-local, local gateway, Vite) driven
 * by headless Chromium through playwright-core. Slow by nature, hence the long timeouts.
 */
export default defineProject({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "web-e2e",
    environment: "node",
    include: ["e2e/**/*.e2e.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
