/**
 * API Gateway v2 (HTTP API, payload 2.0) events with a JWT authorizer, shaped as API Gateway sends
 * them: lower-cased headers, string claims, routeKey and rawPath, requestContext.http.
 */
import { randomUUID } from "node:crypto";
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
      authorizer: options.claims === null ? undefined : { principalId: "", integrationLatency: 0, jwt: { claims: options.claims ?? accessClaims("user-1"), scopes: null } },
      domainName: "api.example.test",
      domainPrefix: "api",
      http: { method: options.method, path: options.path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" },
      requestId: randomUUID(),
      routeKey: `${options.method} ${routePath}`,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
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
