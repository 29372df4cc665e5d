import { emulatorProject } from "../local/test-support/emulator-project.js";

// Handlers run against DynamoDB Local: on a busy 2-core machine one test can take seconds.
export default emulatorProject("functions", { testTimeout: 30_000 });
