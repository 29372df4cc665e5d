/**
 * `pnpm start`: the whole app offline, data under `.local/` at the repository root.
 *
 *   pnpm start            start (data survives restarts)
 *   pnpm start --reset    wipe .local/ first
 *   pnpm start --no-web   everything but the Vite dev server
 *
 * Ports (environment): TASKS_DYNAMODB_PORT (8000), TASKS_COGNITO_PORT (9229), TASKS_API_PORT
 * (3000), TASKS_WS_PORT (3001), TASKS_WEB_PORT (5173). TASKS_CONFIRMATION_CODE fixes every confirmation code.
 * TASKS_DATA_DIR moves the data folder (default `.local/`).
 *
 * It stops everything and exits 0 on SIGINT or SIGTERM, and also when a process it was started
 * by exits (ancestor-watch.ts): a signal to the outer `pnpm` alone never leaves emulators behind.
 */
import { rmSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { watchAncestors } from "./ancestor-watch.js";
import { API_REFERENCE_PATH } from "./api-reference.js";
import { LocalStackStartError, REPO_ROOT, startLocalStack, type LocalStack } from "./stack.js";

const LOCAL_DIR = process.env.TASKS_DATA_DIR ? resolve(process.env.TASKS_DATA_DIR) : join(REPO_ROOT, ".local");
const OUTPUTS_FILE = join(LOCAL_DIR, "outputs.json");
/** How the data folder is named to the user: `.local/` inside the repository, else its full path. */
const LOCAL_DIR_SHOWN = LOCAL_DIR.startsWith(REPO_ROOT + sep) ? `${relative(REPO_ROOT, LOCAL_DIR)}/` : LOCAL_DIR;

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a port number (1-65535), got "${value}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const unknown = [...args].filter((arg) => !["--reset", "--no-web"].includes(arg));
  if (unknown.length) throw new Error(`Unknown option ${unknown.join(" ")} (use --reset, --no-web)`);
  if (args.has("--reset")) {
    rmSync(LOCAL_DIR, { recursive: true, force: true });
    console.log(`Wiped ${LOCAL_DIR_SHOWN} (tasks, users and settings of the offline stack).`);
  }

  const web = !args.has("--no-web");
  const startedAt = performance.now();
  console.log("Starting the offline stack (DynamoDB Local, cognito-local, API and WebSocket gateways" + (web ? ", Vite" : "") + ")…");
  let starting: Promise<LocalStack> | undefined;
  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping the offline stack…`);
    // A signal during start-up waits for the start to settle, so no child is left behind.
    const running = await starting?.catch(() => undefined);
    await running?.stop();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("Ctrl-C"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGHUP", () => void shutdown("SIGHUP"));
  watchAncestors((pid) => void shutdown(`The process that started this one (pid ${pid}) exited`));

  starting = startLocalStack({
    dataDir: LOCAL_DIR,
    outputsFile: OUTPUTS_FILE,
    web,
    ports: {
      dynamodb: portFromEnv("TASKS_DYNAMODB_PORT", 8000),
      cognito: portFromEnv("TASKS_COGNITO_PORT", 9229),
      api: portFromEnv("TASKS_API_PORT", 3000),
      ws: portFromEnv("TASKS_WS_PORT", 3001),
      web: portFromEnv("TASKS_WEB_PORT", 5173),
    },
    ...(process.env.TASKS_CONFIRMATION_CODE ? { fixedConfirmationCode: process.env.TASKS_CONFIRMATION_CODE } : {}),
  });
  const stack = await starting;
  if (stopping) return;
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const open = stack.webUrl ?? `(web not started) API at ${stack.apiUrl}`;
  console.log(
    [
      "",
      `  Tasks is running offline (ready in ${seconds} s).`,
      "",
      `  Open        ${open}`,
      `  API         ${stack.apiUrl}  (reference: ${stack.apiUrl}${API_REFERENCE_PATH})`,
      `  Live        ${stack.wsUrl}  (WebSocket; @connections at ${stack.wsManagementEndpoint})`,
      `  Cognito     ${stack.cognitoEndpoint}  (user pool ${stack.userPoolId}, client ${stack.userPoolClientId})`,
      "",
      "  Sign up, then confirm with the code printed here as",
      '  "Confirmation code for <email>: 123456"',
      `  (or: curl ${stack.cognitoEndpoint}/__local/codes/<email>).`,
      "",
      `  Data is kept in ${LOCAL_DIR_SHOWN} (pnpm start --reset wipes it). Ctrl-C stops everything.`,
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  if (error instanceof LocalStackStartError) {
    console.error(`\nThe offline stack could not start — ${error.piece} failed:\n  ${error.message.slice(error.piece.length + 2)}`);
    console.error("Everything that had started was stopped.");
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
