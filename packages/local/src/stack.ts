/**
 * The whole app offline: DynamoDB Local, cognito-local behind its proxy, the local API gateway,
 * the local WebSocket gateway (live sync) and (optionally) the SPA's Vite dev server, all on
 * 127.0.0.1. `pnpm start` (start.ts) runs it
 * with fixed ports and data under `.local/`; tests (here and packages/web/e2e) run it on free
 * ports with throwaway data.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureUserPool, startCognitoLocal, storedConfirmationCode, type CognitoLocal } from "./cognito-local.js";
import { startCognitoProxy, CODES_PATH, type CognitoProxy } from "./cognito-proxy.js";
import { ConfirmationCodeBook, describeCode, type ConfirmationCode } from "./confirmation-codes.js";
import { startDynamoDbLocal, type DynamoDbLocal } from "./dynamodb-local.js";
import { startGateway, type Gateway, type GatewayOptions } from "./gateway.js";
import { localAccessTokenVerifier } from "./access-token-verifier.js";
import { createJwtAuthorizer } from "./jwt-authorizer.js";
import { assertPortFree, freePort, LOOPBACK } from "./ports.js";
import { allTableNames, DEFAULT_TABLE_NAMES, ensureTables, type TableNames } from "./tables.js";
import type { ThrottleSettings } from "./token-bucket.js";
import { startViteDevServer, type ViteDevServer } from "./vite-dev-server.js";
import { startWebSocketGateway, type WebSocketGateway } from "./ws-gateway/ws-gateway.js";
import { FAN_OUT } from "@tasks/functions/live/fan-out-settings";
import { invokeFunction } from "./lambda-invoke.js";
import { restartable, type PieceControl } from "./restartable.js";
import { startStreamPoller, type StreamPoller } from "./streams/stream-poller.js";

export interface LocalStackPorts {
  dynamodb?: number;
  /** The Cognito endpoint (the proxy); cognito-local itself gets a free internal port. */
  cognito?: number;
  api?: number;
  /** The WebSocket API (live sync) and its @connections endpoint. */
  ws?: number;
  web?: number;
}

export interface LocalStackOptions {
  /**
   * Where the data lives (`dynamodb/`, `cognito/`, logs); it survives restarts. Omit for a
   * throwaway stack: DynamoDB in memory, Cognito in a temp folder deleted by stop().
   */
  dataDir?: string;
  /**
   * Use this running DynamoDB (e.g. the tests' shared DynamoDB Local) instead of starting one;
   * the tables are still created if missing.
   */
  dynamoDbEndpoint?: string;
  /** Each port: 0 or omitted = a free port chosen at start. */
  ports?: LocalStackPorts;
  /** Start the SPA's Vite dev server too (default true; API-only tests pass false). */
  web?: boolean;
  /** Reported to the SPA (VITE_REGION) and the handlers (AWS_REGION); default us-east-1. */
  region?: string;
  /** Make every confirmation code this value; default: cognito-local's CODE variable if set, else random codes. */
  fixedConfirmationCode?: string;
  /** Origins allowed by CORS besides the Vite server's own (http://127.0.0.1:<web> and http://localhost:<web>). */
  allowOrigins?: string[];
  throttle?: ThrottleSettings;
  tableNames?: TableNames;
  /** Write apiUrl, webUrl, userPoolId, userPoolClientId, cognitoEndpoint, region here. */
  outputsFile?: string;
  /** Extra environment for the handlers, e.g. { MAX_TODOS_PER_USER: "5", POWERTOOLS_LOG_LEVEL: "ERROR" }. */
  handlerEnvironment?: Record<string, string>;
  /** Where the stack's own lines go (confirmation codes, errors); default console.log. */
  log?: (line: string) => void;
  /** Called for each confirmation/reset code cognito-local sends. */
  onConfirmationCode?: (code: ConfirmationCode) => void;
  /** For tests of the gateway itself: replaces how handlers are loaded. */
  loadHandler?: GatewayOptions["loadHandler"];
}

export interface LocalStackOutputs {
  apiUrl: string;
  wsUrl: string;
  webUrl?: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  region: string;
}

export interface LocalStack extends LocalStackOutputs {
  /** `iss` of the tokens: `<cognitoEndpoint>/<userPoolId>`. */
  issuer: string;
  dynamoDbEndpoint: string;
  tableNames: Required<TableNames>;
  outputs: LocalStackOutputs;
  /** The local WebSocket API's @connections endpoint (ApiGatewayManagementApiClient's `endpoint`). */
  wsManagementEndpoint: string;
  /**
   * The DynamoDB Local this stack started (absent with `dynamoDbEndpoint`), for fault tests:
   * stop it while the rest keeps running, then start it again on the same port and data folder.
   * Only a stack with a `dataDir` keeps its data across that restart.
   */
  dynamodb?: DynamoDbLocalControl;
  /**
   * The live pieces, for restart tests: the WebSocket gateway (its clients are disconnected, and
   * reconnect to the same port) and the stream poller feeding the fan-out (started again, it
   * resumes after the last record it delivered, as Lambda's event source mapping does).
   */
  live: { gateway: PieceControl; streams: PieceControl };
  /** The latest code sent to this e-mail address (sign-up, resend or password reset). */
  latestConfirmationCode(email: string): string | undefined;
  /** Waits for a code sent to `email` at or after `since` (ms since epoch; default: any). */
  waitForConfirmationCode(email: string, options?: { since?: number; timeoutMs?: number }): Promise<string>;
  stop(): Promise<void>;
}

export interface DynamoDbLocalControl {
  readonly running: boolean;
  /** The Java process's id while running (e.g. to SIGSTOP it and simulate a hung database). */
  readonly pid: number | undefined;
  /** Stops the DynamoDB Local process (SIGTERM); requests to the API then fail over to 503. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder; resolves once it answers. */
  start(): Promise<void>;
}

/** Which piece failed to start, with the reason (port in use, Java missing, …). */
export class LocalStackStartError extends Error {
  constructor(
    readonly piece: string,
    readonly reason: unknown,
  ) {
    super(`${piece}: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = "LocalStackStartError";
  }
}

const PIECES = {
  dynamodb: "DynamoDB Local",
  cognito: "Cognito (cognito-local)",
  api: "API gateway",
  ws: "WebSocket gateway (live)",
  streams: "DynamoDB Streams poller (live fan-out)",
  web: "Vite dev server (web)",
} as const;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const WEB_DIR = join(REPO_ROOT, "packages/web");

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const region = options.region ?? "us-east-1";
  const web = options.web ?? true;
  const tableNames = allTableNames(options.tableNames ?? DEFAULT_TABLE_NAMES);
  const stops: (() => Promise<void>)[] = [];
  const throwaway = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "tasks-local-"));
  if (throwaway) stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  async function step<T extends { stop(): Promise<void> }>(piece: string, start: () => Promise<T>): Promise<T> {
    try {
      const started = await start();
      stops.push(() => started.stop());
      return started;
    } catch (error) {
      throw new LocalStackStartError(piece, error);
    }
  }

  /** Runs the starts side by side; every one that succeeded is registered before a failure is thrown. */
  async function together<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
    const [ra, rb] = await Promise.allSettled([a, b]);
    if (ra.status === "rejected") throw ra.reason;
    if (rb.status === "rejected") throw rb.reason;
    return [ra.value, rb.value];
  }

  const codes = new ConfirmationCodeBook((code) => {
    log(describeCode(code));
    options.onConfirmationCode?.(code);
  });

  try {
    const ports = await resolvePorts(options.ports ?? {}, web);
    const webUrl = web ? `http://${LOOPBACK}:${ports.web}` : undefined;
    const allowOrigins = [
      ...(web || options.ports?.web ? [`http://${LOOPBACK}:${ports.web}`, `http://localhost:${ports.web}`] : []),
      ...(options.allowOrigins ?? []),
    ];

    const cognitoDir = join(dataDir, "cognito");
    mkdirSync(cognitoDir, { recursive: true });
    const proxy = await step(PIECES.cognito, () =>
      startCognitoProxy({
        port: ports.cognito,
        allowOrigins,
        codes,
        storedCode: (userPoolId, username) => storedConfirmationCode(cognitoDir, userPoolId, username),
      }),
    );
    let dynamodbControl: DynamoDbLocalControl | undefined;
    const [dynamo, cognito] = await together<Pick<DynamoDbLocal, "endpoint" | "stop">, CognitoLocal>(
      step(PIECES.dynamodb, async () => {
        if (options.dynamoDbEndpoint) {
          await ensureTables(options.dynamoDbEndpoint, tableNames);
          return { endpoint: options.dynamoDbEndpoint, stop: async () => undefined };
        }
        const dbPath = throwaway ? undefined : join(dataDir, "dynamodb");
        if (dbPath) mkdirSync(dbPath, { recursive: true });
        const startOptions = { port: ports.dynamodb, ...(dbPath ? { dbPath } : {}) };
        let current: DynamoDbLocal | undefined = await startDynamoDbLocal(startOptions);
        const stopCurrent = async () => {
          const running = current;
          current = undefined;
          await running?.stop();
        };
        try {
          await ensureTables(current.endpoint, tableNames);
        } catch (error) {
          await stopCurrent();
          throw error;
        }
        dynamodbControl = {
          get running() {
            return current !== undefined;
          },
          get pid() {
            return current?.process.pid;
          },
          stop: stopCurrent,
          async start() {
            current ??= await startDynamoDbLocal(startOptions);
          },
        };
        return { endpoint: current.endpoint, stop: stopCurrent };
      }),
      step(PIECES.cognito, () =>
        startCognitoLocal({
          dataDir: cognitoDir,
          issuerDomain: proxy.url,
          ...(options.fixedConfirmationCode !== undefined ? { fixedCode: options.fixedConfirmationCode } : {}),
        }),
      ),
    );
    proxy.setUpstream(cognito.endpoint);
    const { userPoolId, userPoolClientId } = await ensureUserPool(cognito.endpoint, join(cognitoDir, "user-pool.json")).catch(
      (error: unknown) => {
        throw new LocalStackStartError(PIECES.cognito, error);
      },
    );
    const issuer = `${proxy.url}/${userPoolId}`;

    await configureHandlers({
      TODOS_TABLE_NAME: tableNames.todos,
      IDEMPOTENCY_TABLE_NAME: tableNames.idempotency,
      CONNECTIONS_TABLE_NAME: tableNames.connections,
      RATE_LIMITS_TABLE_NAME: tableNames.rateLimits,
      WS_MANAGEMENT_ENDPOINT: `http://${LOOPBACK}:${ports.ws}`,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_REGION: region,
      POWERTOOLS_SERVICE_NAME: "tasks",
      POWERTOOLS_METRICS_NAMESPACE: "Tasks",
      POWERTOOLS_METRICS_DISABLED: "true",
      ...options.handlerEnvironment,
    });

    const apiUrl = `http://${LOOPBACK}:${ports.api}`;
    const [gateway] = await together<Gateway, ViteDevServer | undefined>(
      step(PIECES.api, () =>
        startGateway({
          port: ports.api,
          authorizer: createJwtAuthorizer({ issuer, audiences: [userPoolClientId] }),
          allowOrigins,
          region,
          log,
          ...(options.throttle ? { throttle: options.throttle } : {}),
          ...(options.loadHandler ? { loadHandler: options.loadHandler } : {}),
        }),
      ),
      web
        ? step(PIECES.web, () =>
            startViteDevServer({
              webDir: WEB_DIR,
              port: ports.web,
              logFile: join(dataDir, "web.log"),
              onError: (line) => log(`[web] ${line}`),
              env: {
                VITE_USER_POOL_ID: userPoolId,
                VITE_USER_POOL_CLIENT_ID: userPoolClientId,
                VITE_API_URL: apiUrl,
                VITE_WS_URL: `ws://${LOOPBACK}:${ports.ws}`,
                VITE_REGION: region,
                VITE_COGNITO_ENDPOINT: proxy.url,
              },
            }),
          )
        : Promise.resolve(undefined),
    );

    let live: WebSocketGateway | undefined;
    const liveGateway = await step(PIECES.ws, () =>
      restartable(async () => (live = await startLiveGateway({ port: ports.ws, issuer, clientId: userPoolClientId, region, log }))),
    );
    const liveStreams = await step(PIECES.streams, () =>
      restartable<StreamPoller>((previous) =>
        startLiveFanOut({ endpoint: dynamo.endpoint, tableName: tableNames.todos, region, log, resumeFrom: previous?.checkpoints() }),
      ),
    );

    const outputs: LocalStackOutputs = {
      apiUrl: gateway.url,
      wsUrl: live!.url,
      ...(webUrl ? { webUrl } : {}),
      userPoolId,
      userPoolClientId,
      cognitoEndpoint: proxy.url,
      region,
    };
    if (options.outputsFile) {
      mkdirSync(dirname(options.outputsFile), { recursive: true });
      writeFileSync(options.outputsFile, `${JSON.stringify(outputs, null, 2)}\n`);
    }

    return {
      ...outputs,
      issuer,
      dynamoDbEndpoint: dynamo.endpoint,
      tableNames,
      outputs,
      wsManagementEndpoint: live!.managementEndpoint,
      live: { gateway: liveGateway, streams: liveStreams },
      ...(dynamodbControl ? { dynamodb: dynamodbControl } : {}),
      latestConfirmationCode: (email) => codes.latestFor(email)?.code,
      async waitForConfirmationCode(email, { since = 0, timeoutMs = 10_000 } = {}) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const entry = codes.latestFor(email);
          if (entry && entry.receivedAt >= since) return entry.code;
          if (Date.now() > deadline) throw new Error(`No confirmation code for ${email} within ${timeoutMs} ms`);
          await new Promise((done) => setTimeout(done, 25));
        }
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function resolvePorts(requested: LocalStackPorts, web: boolean): Promise<Required<LocalStackPorts>> {
  const pieces: [keyof LocalStackPorts, string][] = [
    ["dynamodb", PIECES.dynamodb],
    ["cognito", PIECES.cognito],
    ["api", PIECES.api],
    ["ws", PIECES.ws],
    ["web", PIECES.web],
  ];
  const ports = {} as Required<LocalStackPorts>;
  for (const [key, piece] of pieces) {
    const port = requested[key] ?? 0;
    if (port === 0) {
      ports[key] = await freePort();
      continue;
    }
    if (key !== "web" || web) {
      await assertPortFree(port, piece).catch((error: unknown) => {
        throw new LocalStackStartError(piece, error instanceof Error ? error.message.replace(`${piece}: `, "") : error);
      });
    }
    ports[key] = port;
  }
  return ports;
}

/**
 * The handlers read their settings from process.env once per "container" (runtime.ts), so they
 * are set before the first handler is imported, and a cached runtime from an earlier stack in the
 * same process is dropped. One stack per process, therefore.
 */
async function configureHandlers(environment: Record<string, string>): Promise<void> {
  Object.assign(process.env, environment);
  const { resetRuntime } = await import("@tasks/functions/runtime");
  resetRuntime();
  const { resetLiveRuntime } = await import("@tasks/functions/live/live-runtime");
  resetLiveRuntime();
}

/**
 * The WebSocket API with the real `$connect` authorizer and `$connect`, `$disconnect` and
 * `$default` (keep-alive) handlers;
 * only the authorizer's token verifier is the offline one (access-token-verifier.ts says why).
 */
async function startLiveGateway(options: {
  port: number;
  issuer: string;
  clientId: string;
  region: string;
  log: (line: string) => void;
}): Promise<WebSocketGateway> {
  const [{ connectAuthorizer }, { handler: $connect }, { handler: $disconnect }, { handler: $default }] = await Promise.all([
    import("@tasks/functions/live/authorizer"),
    import("@tasks/functions/live/connect"),
    import("@tasks/functions/live/disconnect"),
    import("@tasks/functions/live/keep-alive"),
  ]);
  const verifier = localAccessTokenVerifier({ issuer: options.issuer, clientId: options.clientId });
  return startWebSocketGateway({
    port: options.port,
    region: options.region,
    log: options.log,
    // API Gateway refuses a handshake without the identity source before calling the authorizer.
    authorizer: { handler: connectAuthorizer(() => verifier), identitySourceQuery: ["token"] },
    routes: { $connect, $disconnect, $default },
  });
}

/**
 * What Lambda's event source mapping does for the fan-out on AWS: the Todos table's stream read
 * in order, each batch handed to the real fan-out handler with the deployed batch size and
 * timeout, its partial batch response honoured. (It retries a failed record until it succeeds;
 * the deployed mapping gives up after FAN_OUT.maximumRetryAttempts.)
 */
async function startLiveFanOut(options: {
  endpoint: string;
  tableName: string;
  region: string;
  log: (line: string) => void;
  resumeFrom: ReadonlyMap<string, string> | undefined;
}): Promise<StreamPoller> {
  const { handler } = await import("@tasks/functions/live/fan-out");
  return startStreamPoller({
    endpoint: options.endpoint,
    tableName: options.tableName,
    region: options.region,
    log: options.log,
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
    batchSize: FAN_OUT.batchSize,
    handler: (event) =>
      invokeFunction(handler, event, { functionName: "tasks-local-fan-out", region: options.region, timeoutMs: FAN_OUT.timeoutSeconds * 1000 }),
  });
}

/**
 * For another process (e.g. the SPA's e2e test driving a browser): the latest code sent to
 * `email`, read from the Cognito proxy; waits up to `timeoutMs` for one at or after `since`.
 */
export async function fetchConfirmationCode(
  cognitoEndpoint: string,
  email: string,
  { since = 0, timeoutMs = 10_000 }: { since?: number; timeoutMs?: number } = {},
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${cognitoEndpoint}${CODES_PATH}${encodeURIComponent(email)}`);
    if (response.ok) {
      const entry = (await response.json()) as ConfirmationCode;
      if (entry.receivedAt >= since) return entry.code;
    }
    if (Date.now() > deadline) throw new Error(`No confirmation code for ${email} within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

export type { ConfirmationCode } from "./confirmation-codes.js";
export type { TableNames } from "./tables.js";
export type { ThrottleSettings } from "./token-bucket.js";
