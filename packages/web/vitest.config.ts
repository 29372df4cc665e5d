import react from "@vitejs/plugin-react";
import { defineProject } from "vitest/config";

/** Component tests: jsdom, the real API client and Amplify, the network mocked by msw. */
export default defineProject({
  plugins: [react()],
  test: {
    name: "web",
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-support/setup.ts"],
    testTimeout: 15_000,
  },
});
