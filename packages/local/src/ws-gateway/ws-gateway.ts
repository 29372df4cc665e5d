/**
 * The local API Gateway WebSocket API: what `sst.aws.ApiGatewayWebSocket` gives on AWS, on
 * 127.0.0.1, running the real handlers in-process.
 *
 * - Handshake: the REQUEST authorizer runs first (a missing identity source is a 401 without
 *   calling it; a thrown "Unauthorized" is a 401, a Deny policy a 403), then `$connect`; the
 *   socket opens only if `$connect` answers 2xx.
 * - Messages go to `$default` if there is one; without it API Gateway answers the client with a
 *   "Forbidden" message, and so does this.
 * - `$disconnect` runs when either side closes, an idle connection times out (10 minutes) or it
 *   reaches its maximum duration (2 hours), as on AWS.
 * - The `@connections` management API (PostToConnection, GetConnection, DeleteConnection) is
 *   served on the same port, so the real `ApiGatewayManagementApiClient` works against
 *   `managementEndpoint`; an unknown or closed connection is 410 GoneException, an id that is
 *   not one API Gateway could have made is 400 BadRequestException.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { APIGatewayAuthorizerResult, Context } from "aws-lambda";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { closeServer, listenOnLoopback, readBody } from "../http-server.js";
import { invokeFunction } from "../lambda-invoke.js";
import { LOOPBACK } from "../ports.js";
import type { WebSocketAuthorizerEvent, WebSocketRouteEvent } from "@tasks/functions/live/ws-events";
import { authorizerEvent, connectionInfo, newConnectionId, routeEvent, type ConnectionInfo } from "./websocket-events.js";

export type WebSocketRouteHandler = (
  event: WebSocketRouteEvent,
  context: Context,
) => Promise<{ statusCode?: number; body?: string } | void | undefined>;
export type WebSocketAuthorizer = (event: WebSocketAuthorizerEvent, context: Context) => Promise<APIGatewayAuthorizerResult>;

export interface WebSocketGatewayOptions {
  port?: number;
  region?: string;
  authorizer?: {
    handler: WebSocketAuthorizer;
    /** Query-string parameters that must be present, as the authorizer's identitySource names them. */
    identitySourceQuery?: string[];
  };
  routes: {
    $connect?: WebSocketRouteHandler;
    $disconnect?: WebSocketRouteHandler;
    $default?: WebSocketRouteHandler;
  };
  /** API Gateway closes a connection idle this long (default 10 minutes). */
  idleTimeoutMs?: number;
  /** …and any connection after this long (default 2 hours). */
  maxConnectionMs?: number;
  functionTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface WebSocketGateway {
  /** `ws://127.0.0.1:<port>`, what clients connect to (with `?token=`). */
  url: string;
  /** `http://127.0.0.1:<port>`, the `@connections` endpoint for ApiGatewayManagementApiClient. */
  managementEndpoint: string;
  port: number;
  /** Open connections, by id. */
  connectionIds(): string[];
  stop(): Promise<void>;
}

/** API Gateway's frame limit for messages to clients. */
const MAX_MESSAGE_BYTES = 128 * 1024;
const CONNECTION_ID = /^[A-Za-z0-9+/]+=*$/;
const MANAGEMENT_PATH = /^(?:\/[^/]+)?\/@connections\/([^/?]+)$/;

interface Connection {
  info: ConnectionInfo;
  socket: WebSocket;
  lastActiveAt: number;
  idleTimer?: NodeJS.Timeout;
  maxTimer?: NodeJS.Timeout;
}

export async function startWebSocketGateway(options: WebSocketGatewayOptions): Promise<WebSocketGateway> {
  const region = options.region ?? "us-east-1";
  const idleTimeoutMs = options.idleTimeoutMs ?? 10 * 60_000;
  const maxConnectionMs = options.maxConnectionMs ?? 2 * 60 * 60_000;
  const timeoutMs = options.functionTimeoutMs ?? 10_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const connections = new Map<string, Connection>();
  /** `$disconnect` runs still in flight: stop() waits for them, so none outlives the gateway. */
  const disconnecting = new Set<Promise<void>>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const call = <E, R>(name: string, handler: (event: E, context: Context) => Promise<R>, event: E) =>
    invokeFunction(handler, event, { functionName: `tasks-local-ws-${name}`, region, timeoutMs });

  function reject(socket: Duplex, status: number, message: string): void {
    const body = JSON.stringify({ message });
    socket.end(
      `HTTP/1.1 ${status} ${message}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  async function authorize(info: ConnectionInfo): Promise<number | undefined> {
    const authorizer = options.authorizer;
    if (!authorizer) return undefined;
    const missing = (authorizer.identitySourceQuery ?? []).some((name) => !info.queryStringParameters?.[name]);
    if (missing) return 401;
    let result: APIGatewayAuthorizerResult;
    try {
      result = await call("authorizer", authorizer.handler, authorizerEvent(info, region));
    } catch (error) {
      if (error instanceof Error && error.message === "Unauthorized") return 401;
      log(`[ws] the authorizer failed: ${error instanceof Error ? error.message : String(error)}`);
      return 500;
    }
    const allowed = result.policyDocument.Statement.some(
      (statement) => statement.Effect === "Allow" && "Action" in statement && [statement.Action].flat().includes("execute-api:Invoke"),
    );
    if (!allowed) return 403;
    info.authorizer = { principalId: result.principalId, ...result.context, integrationLatency: 0 } as ConnectionInfo["authorizer"];
    return undefined;
  }

  async function disconnect(connection: Connection, statusCode: number, reason: string): Promise<void> {
    if (!connections.delete(connection.info.connectionId)) return;
    clearTimeout(connection.idleTimer);
    clearTimeout(connection.maxTimer);
    const handler = options.routes.$disconnect;
    if (handler) {
      await call("disconnect", handler, routeEvent(connection.info, "$disconnect", { disconnectStatusCode: statusCode, disconnectReason: reason })).catch(
        (error: unknown) => log(`[ws] $disconnect failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  function touch(connection: Connection): void {
    connection.lastActiveAt = Date.now();
    clearTimeout(connection.idleTimer);
    connection.idleTimer = setTimeout(() => connection.socket.close(1001, "Going away"), idleTimeoutMs);
  }

  async function onMessage(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    touch(connection);
    const body = Buffer.isBuffer(data) ? data.toString(isBinary ? "latin1" : "utf8") : Buffer.concat(data as Buffer[]).toString();
    const handler = options.routes.$default;
    const event = routeEvent(connection.info, "$default", { body, isBinary });
    if (!handler) {
      connection.socket.send(JSON.stringify({ message: "Forbidden", connectionId: connection.info.connectionId, requestId: event.requestContext.requestId }));
      return;
    }
    try {
      // A route response is only sent when the route has one configured; proxy bodies are not echoed.
      await call("default", handler, event);
    } catch (error) {
      log(`[ws] $default failed: ${error instanceof Error ? error.message : String(error)}`);
      connection.socket.send(JSON.stringify({ message: "Internal server error", connectionId: connection.info.connectionId, requestId: event.requestContext.requestId }));
    }
  }

  async function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const info = connectionInfo(request, newConnectionId());
    const refused = await authorize(info);
    if (refused === 401) return reject(socket, 401, "Unauthorized");
    if (refused === 403) return reject(socket, 403, "Forbidden");
    if (refused) return reject(socket, 500, "Internal Server Error");
    const connect = options.routes.$connect;
    if (connect) {
      let status: number;
      try {
        const result = await call("connect", connect, routeEvent(info, "$connect"));
        status = (result && typeof result === "object" && result.statusCode) || 200;
      } catch (error) {
        log(`[ws] $connect failed: ${error instanceof Error ? error.message : String(error)}`);
        status = 500;
      }
      if (status < 200 || status > 299) return reject(socket, status, status === 500 ? "Internal Server Error" : "Forbidden");
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const connection: Connection = { info, socket: ws, lastActiveAt: Date.now() };
      connections.set(info.connectionId, connection);
      touch(connection);
      connection.maxTimer = setTimeout(() => ws.close(1001, "Going away"), maxConnectionMs);
      ws.on("message", (data, isBinary) => void onMessage(connection, data, isBinary));
      ws.on("close", (code, reason) => {
        const done = disconnect(connection, code, reason.toString()).finally(() => disconnecting.delete(done));
        disconnecting.add(done);
      });
      ws.on("error", () => ws.terminate());
    });
  }

  function answer(response: ServerResponse, status: number, errorType?: string, body?: unknown): void {
    const payload = body === undefined ? "" : JSON.stringify(body);
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
      ...(errorType ? { "x-amzn-errortype": errorType } : {}),
    });
    response.end(payload);
  }

  async function onManagementRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = MANAGEMENT_PATH.exec(new URL(request.url ?? "/", "http://localhost").pathname);
    if (!match) return answer(response, 404, "NotFoundException", { message: "Not Found" });
    const connectionId = decodeURIComponent(match[1]!);
    const body = await readBody(request);
    // API Gateway's connection ids are base64; anything else is not "gone" but malformed.
    if (!CONNECTION_ID.test(connectionId)) {
      return answer(response, 400, "BadRequestException", { message: `Invalid connectionId: ${connectionId}` });
    }
    const connection = connections.get(connectionId);
    if (!connection || connection.socket.readyState !== connection.socket.OPEN) {
      return answer(response, 410, "GoneException", { message: "Gone" });
    }
    switch (request.method) {
      case "POST":
        if (body.byteLength > MAX_MESSAGE_BYTES) return answer(response, 413, "PayloadTooLargeException", { message: "Payload too large" });
        connection.socket.send(body.toString("utf8"));
        return answer(response, 200);
      case "GET":
        // The management API's JSON names are camelCase (the SDK maps them to ConnectedAt, …).
        return answer(response, 200, undefined, {
          connectedAt: new Date(connection.info.connectedAt).toISOString(),
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
          identity: { sourceIp: connection.info.sourceIp, userAgent: connection.info.userAgent ?? "" },
        });
      case "DELETE":
        connection.socket.close(1000);
        return answer(response, 204);
      default:
        return answer(response, 405, "BadRequestException", { message: "Method not allowed" });
    }
  }

  const server = createServer((request, response) => {
    onManagementRequest(request, response).catch((error: unknown) => {
      log(`[ws] management request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) answer(response, 500, "InternalServerErrorException", { message: "Internal server error" });
    });
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(request, socket, head).catch((error: unknown) => {
      log(`[ws] handshake failed: ${error instanceof Error ? error.message : String(error)}`);
      reject(socket, 500, "Internal Server Error");
    });
  });
  const port = await listenOnLoopback(server, options.port ?? 0);

  return {
    url: `ws://${LOOPBACK}:${port}`,
    managementEndpoint: `http://${LOOPBACK}:${port}`,
    port,
    connectionIds: () => [...connections.keys()],
    async stop() {
      const open = [...connections.values()];
      for (const connection of open) connection.socket.close(1001, "Going away");
      await Promise.all(open.map((connection) => disconnect(connection, 1001, "Going away")));
      await Promise.all([...disconnecting]);
      wss.close();
      await closeServer(server);
    },
  };
}
