import { emulatorProject } from "./test-support/emulator-project.js";

/**
 * Integration tests of the offline stack: real DynamoDB Local (Java), real cognito-local, the
 * local gateway and the real handlers. Slow to start, hence the generous timeouts.
 */
export default emulatorProject("local", { testTimeout: 60_000, hookTimeout: 120_000 });
