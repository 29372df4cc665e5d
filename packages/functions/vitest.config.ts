import { emulatorProject } from "../local/test-support/emulator-project.js";

export default emulatorProject("functions");
