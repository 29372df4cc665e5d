import { defineConfig } from "vitest/config";

/**
 * Tests of sst.config.ts and infra/*.ts: they evaluate the config with recording fakes of the
 * SST globals (test/sst-fakes.ts). Nothing here talks to AWS or runs the sst CLI.
 */
export default defineConfig({
  test: {
    name: "infra",
    environment: "node",
    include: ["test/**/*.test.ts"],
    unstubGlobals: true,
    unstubEnvs: true,
  },
});
