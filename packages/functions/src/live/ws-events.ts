/**
 * The events API Gateway's WebSocket API sends to this app's functions (AWS's documentation of
 * the WebSocket integration and Lambda authorizer; aws-lambda's own types describe a REST
 * authorizer's event and put `messageId` on every route). The offline WebSocket gateway builds
 * exactly these.
 */
export interface WebSocketRequestContext {
  routeKey: string;
  eventType: "CONNECT" | "MESSAGE" | "DISCONNECT";
  extendedRequestId: string;
  requestTime: string;
  messageDirection: "IN";
  stage: string;
  connectedAt: number;
  requestTimeEpoch: number;
  identity: { sourceIp: string; userAgent?: string };
  requestId: string;
  domainName: string;
  connectionId: string;
  apiId: string;
  /** Messages only. */
  messageId?: string;
  /** `$disconnect` only. */
  disconnectStatusCode?: number;
  disconnectReason?: string;
  /** What the `$connect` authorizer allowed the connection with, on every route after it. */
  authorizer?: ConnectionAuthorization;
}

/** The `$connect` REQUEST authorizer's event: no resource, path or method, unlike a REST API's. */
export interface WebSocketAuthorizerEvent {
  type: "REQUEST";
  methodArn: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  stageVariables: Record<string, string>;
  requestContext: Omit<WebSocketRequestContext, "authorizer">;
  isBase64Encoded: false;
  body: null;
}

/** The context the authorizer returns (API Gateway may hand the values on as strings). */
export interface ConnectionAuthorization {
  principalId: string;
  userId: string;
  /** Epoch seconds: when the access token that opened the connection expires. */
  expiresAt: number | string;
  integrationLatency?: number;
}

export interface WebSocketRouteEvent {
  requestContext: WebSocketRequestContext;
  /** `$connect` and `$disconnect`. */
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  /** `$connect` only. */
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  /** Messages only. */
  body?: string;
  isBase64Encoded: boolean;
}

export interface WebSocketRouteResult {
  statusCode: number;
}
