/**
 * API Gateway v2 (HTTP API, payload 2.0) events with a JWT authorizer, shaped as API Gateway sends
 * them: lower-cased headers, string claims, routeKey and rawPath, requestContext.http. Every event
 * is checked against the schema AWS publishes in Powertools' parser (the one the offline
 * gateway's events are checked against, packages/local/test/gateway.test.ts), and must contain
 * nothing that schema does not know.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { APIGatewayProxyEventV2Schema } from "@aws-lambda-powertools/parser/schemas/api-gatewayv2";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from "aws-lambda";

export interface EventOptions {
  method: string;
  path: string;
  routePath?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  claims?: Record<string, string> | null;
}

export function accessClaims(sub: string): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub,
    token_use: "access",
    client_id: "test-client",
    scope: "aws.cognito.signin.user.admin",
    iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test",
    exp: String(now + 3600),
    iat: String(now),
    username: sub,
  };
}

export function apiEvent(options: EventOptions): APIGatewayProxyEventV2WithJWTAuthorizer {
  const routePath = options.routePath ?? options.path;
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  const now = new Date();
  const headers: Record<string, string> = {
    host: "api.example.test",
    "user-agent": "vitest",
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const event = {
    version: "2.0",
    routeKey: `${options.method} ${routePath}`,
    rawPath: options.path,
    rawQueryString,
    headers,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "api-id",
      ...(options.claims === null ? {} : { authorizer: { jwt: { claims: options.claims ?? accessClaims("user-1"), scopes: null } } }),
      domainName: "api.example.test",
      domainPrefix: "api",
      http: { method: options.method, path: options.path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" },
      // API Gateway's request ids are 16 characters of base64, e.g. "JKJaXmPLvHcESHA=".
      requestId: randomBytes(11).toString("base64").slice(0, 15) + "=",
      routeKey: `${options.method} ${routePath}`,
      stage: "$default",
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
  return asApiGatewayEvent(event);
}

/** An event as the handlers receive it, once AWS's schema accepts it whole (see the top). */
export function asApiGatewayEvent(event: unknown): APIGatewayProxyEventV2WithJWTAuthorizer {
  const parsed = APIGatewayProxyEventV2Schema.safeParse(event);
  if (!parsed.success) throw new Error(`Not an API Gateway v2 event: ${parsed.error.message}`);
  // The schema drops keys it does not know: anything dropped is something API Gateway never sends.
  if (!isDeepStrictEqual(parsed.data, event)) {
    throw new Error(`An API Gateway v2 event has fields AWS's schema does not know: ${JSON.stringify(event)}`);
  }
  return event as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** requestContext.time as API Gateway writes it: "01/Dec/2026:06:35:03 +0000". */
function requestTime(date: Date): string {
  const [, day, month, year, time] = /^\w{3}, (\d{2}) (\w{3}) (\d{4}) (\S+) GMT$/.exec(date.toUTCString())!;
  return `${day}/${month}/${year}:${time} +0000`;
}

export function lambdaContext(functionName = "tasks-test"): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "test",
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
