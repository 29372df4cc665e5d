/**
 * The events API Gateway's WebSocket APIs send to Lambda: the REQUEST authorizer's on `$connect`,
 * and the proxy integration's on `$connect`, each message and `$disconnect`. Their shapes follow
 * AWS's documentation and Powertools' schemas (test/ws-gateway.test.ts checks them against those).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type {
  ConnectionAuthorization,
  WebSocketAuthorizerEvent,
  WebSocketRequestContext,
  WebSocketRouteEvent,
} from "@tasks/functions/live/ws-events";
import { LOCAL_ACCOUNT_ID } from "../lambda-invoke.js";

export const WS_API_ID = "localws";
export const WS_STAGE = "local";

/** What API Gateway keeps of a connection from its handshake for every later event. */
export interface ConnectionInfo {
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string | undefined;
  domainName: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  /** principalId and the context the authorizer returned, as later events carry them. */
  authorizer?: ConnectionAuthorization;
}

/** API Gateway's connection ids are 16 characters of base64. */
export function newConnectionId(): string {
  return randomBytes(12).toString("base64");
}

/** "01/Dec/2026:06:30:57 +0000", API Gateway's requestTime. */
function requestTime(date: Date): string {
  const [, day, month, year, time] = date.toUTCString().match(/^\w+, (\d+) (\w+) (\d+) ([\d:]+)/)!;
  return `${day!.padStart(2, "0")}/${month}/${year}:${time} +0000`;
}

export function connectionInfo(request: IncomingMessage, connectionId: string): ConnectionInfo {
  const url = new URL(request.url ?? "/", "http://localhost");
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!;
    const value = request.rawHeaders[i + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value; // the last value wins, as in API Gateway's single-value map
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  return {
    connectionId,
    connectedAt: Date.now(),
    sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
    userAgent: request.headers["user-agent"],
    domainName: request.headers.host ?? "127.0.0.1",
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
  };
}

function baseContext(
  info: ConnectionInfo,
  routeKey: string,
  eventType: WebSocketRequestContext["eventType"],
): Omit<WebSocketRequestContext, "authorizer"> {
  const now = new Date();
  return {
    routeKey,
    eventType,
    extendedRequestId: randomUUID(),
    requestTime: requestTime(now),
    messageDirection: "IN" as const,
    stage: WS_STAGE,
    connectedAt: info.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: { sourceIp: info.sourceIp, ...(info.userAgent ? { userAgent: info.userAgent } : {}) },
    requestId: randomUUID(),
    domainName: info.domainName,
    connectionId: info.connectionId,
    apiId: WS_API_ID,
  };
}

export function connectMethodArn(region: string): string {
  return `arn:aws:execute-api:${region}:${LOCAL_ACCOUNT_ID}:${WS_API_ID}/${WS_STAGE}/$connect`;
}

/** The REQUEST authorizer's event on `$connect` (identity sources: headers and query string). */
export function authorizerEvent(info: ConnectionInfo, region: string): WebSocketAuthorizerEvent {
  return {
    type: "REQUEST",
    methodArn: connectMethodArn(region),
    headers: info.headers,
    multiValueHeaders: info.multiValueHeaders,
    queryStringParameters: info.queryStringParameters,
    multiValueQueryStringParameters: info.multiValueQueryStringParameters,
    stageVariables: {},
    requestContext: baseContext(info, "$connect", "CONNECT"),
    isBase64Encoded: false,
    body: null,
  };
}

/** The proxy integration's event for `$connect`, a message, or `$disconnect`. */
export function routeEvent(
  info: ConnectionInfo,
  route: "$connect" | "$disconnect" | string,
  extra: { body?: string; isBinary?: boolean; disconnectStatusCode?: number; disconnectReason?: string } = {},
): WebSocketRouteEvent {
  const eventType = route === "$connect" ? "CONNECT" : route === "$disconnect" ? "DISCONNECT" : "MESSAGE";
  const requestContext: WebSocketRequestContext = {
    ...baseContext(info, route, eventType),
    ...(eventType === "MESSAGE" ? { messageId: randomBytes(12).toString("base64") } : {}),
    ...(eventType === "DISCONNECT"
      ? { disconnectStatusCode: extra.disconnectStatusCode ?? 1005, disconnectReason: extra.disconnectReason ?? "" }
      : {}),
    ...(info.authorizer ? { authorizer: info.authorizer } : {}),
  };
  return {
    ...(eventType !== "MESSAGE"
      ? { headers: info.headers, multiValueHeaders: info.multiValueHeaders }
      : {}),
    ...(eventType === "CONNECT"
      ? {
          queryStringParameters: info.queryStringParameters ?? undefined,
          multiValueQueryStringParameters: info.multiValueQueryStringParameters ?? undefined,
        }
      : {}),
    requestContext,
    ...(extra.body !== undefined
      ? { body: extra.isBinary ? Buffer.from(extra.body).toString("base64") : extra.body }
      : {}),
    isBase64Encoded: extra.isBinary ?? false,
  };
}
