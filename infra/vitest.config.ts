import { defineConfig } from "vitest/config";

/**
 * Tests of sst.config.ts and infra/*.ts on SST's real components: the global setup evaluates the
 * app once per scenario (test/support/scenarios.ts) with the SST platform `sst install` lays in
 * .sst/platform, under Pulumi's unit-test mocks (platform/evaluate.ts). Nothing talks to AWS.
 */
export default defineConfig({
  test: {
    name: "infra",
    environment: "node",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    unstubGlobals: true,
    unstubEnvs: true,
  },
});
