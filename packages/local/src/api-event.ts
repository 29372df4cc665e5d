/**
 * API Gateway HTTP API (payload format 2.0) on both sides of a Lambda integration: the event it
 * builds from an HTTP request, and how it turns the function's result into the HTTP response.
 * Reference: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * The event shape is checked against Powertools' AWS-written schemas in test/api-event.test.ts.
 */
import { randomBytes } from "node:crypto";
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
} from "aws-lambda";
import type { Authorization } from "./jwt-authorizer.js";

export interface RawRequest {
  method: string;
  /** The request target as received: path and raw query string. */
  url: string;
  /** Node's rawHeaders: [name, value, name, value, …] in arrival order. */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  httpVersion: string;
}

export interface MatchedRoute {
  routeKey: string;
  pathParameters?: Record<string, string>;
}

export interface EventContext {
  requestId: string;
  authorization: Authorization;
  accountId: string;
  apiId: string;
  now: Date;
}

/**
 * Bodies of these media types reach the function as text; anything else (including a body
 * without a Content-Type) arrives base64-encoded with isBase64Encoded: true.
 */
const TEXT_MEDIA_TYPE = /^(text\/[^;]+|application\/([\w.+-]+\+)?(json|xml|javascript)|application\/graphql)\s*(;|$)/i;

export function isTextContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && TEXT_MEDIA_TYPE.test(contentType.trim());
}

/** API Gateway's request id format: 16 characters such as "JKJaXmPLvHcESHA=". */
export function newRequestId(): string {
  return randomBytes(11).toString("base64");
}

export function splitTarget(url: string): { rawPath: string; rawQueryString: string } {
  const query = url.indexOf("?");
  return query < 0 ? { rawPath: url, rawQueryString: "" } : { rawPath: url.slice(0, query), rawQueryString: url.slice(query + 1) };
}

/**
 * Name/value pairs as a plain object, repeated names' values comma-joined in arrival order. The
 * names come from the client, so they are collected in a Map and copied as own properties:
 * `__proto__`, `constructor` or `toString` are ordinary names here, as they are on API Gateway
 * (assigning them to a `{}` would drop `__proto__` and merge the others with Object.prototype's).
 */
function joinRepeated(pairs: Iterable<readonly [string, string]>): Record<string, string> {
  const joined = new Map<string, string>();
  for (const [name, value] of pairs) {
    const earlier = joined.get(name);
    joined.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  return Object.fromEntries(joined);
}

/** Header names lower-cased; a repeated header's values comma-joined in arrival order. */
function collectHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!.toLowerCase(), rawHeaders[i + 1]!]);
  return joinRepeated(pairs);
}

/** Repeated parameters comma-joined, values decoded; undefined when there is no query string. */
function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === "") return undefined;
  return joinRepeated(new URLSearchParams(rawQueryString));
}

/** "12/Mar/2020:19:03:58 +0000", the format of requestContext.time. */
export function apiGatewayTime(date: Date): string {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

function traceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;
}

export function buildEvent(
  request: RawRequest,
  route: MatchedRoute,
  context: EventContext,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { rawPath, rawQueryString } = splitTarget(request.url);
  const received = collectHeaders(request.rawHeaders);
  // Cookies travel in `cookies`, not in `headers`.
  const cookieHeader = received.cookie;
  delete received.cookie;
  const host = received.host ?? "localhost";
  const domainName = host.replace(/:\d+$/, "");
  const headers: Record<string, string> = {
    ...received,
    "x-forwarded-for": received["x-forwarded-for"] ? `${received["x-forwarded-for"]}, ${request.sourceIp}` : request.sourceIp,
    "x-forwarded-port": host.match(/:(\d+)$/)?.[1] ?? "80",
    "x-forwarded-proto": "http",
    "x-amzn-trace-id": traceId(context.now),
  };
  const cookies = cookieHeader
    ?.split(/[;,]/)
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  const queryStringParameters = queryParameters(rawQueryString);
  const hasBody = request.body.byteLength > 0;
  const isBase64Encoded = hasBody && !isTextContentType(received["content-type"]);

  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      // What HTTP APIs really send: jwt {claims, scopes} only (@types/aws-lambda also lists
      // principalId and integrationLatency, which HTTP API events do not carry).
      authorizer: {
        jwt: { claims: context.authorization.claims, scopes: context.authorization.scopes },
      } as unknown as APIGatewayEventRequestContextJWTAuthorizer,
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: received["user-agent"] ?? "",
      },
      requestId: context.requestId,
      routeKey: route.routeKey,
      stage: "$default",
      time: apiGatewayTime(context.now),
      timeEpoch: context.now.getTime(),
    },
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    ...(hasBody ? { body: request.body.toString(isBase64Encoded ? "base64" : "utf8") } : {}),
    isBase64Encoded,
  };
  return event;
}

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/**
 * Payload 2.0 responses: a result with `statusCode` is used as given (headers, cookies →
 * Set-Cookie, body, base64 when isBase64Encoded); anything else is taken as a JSON body with 200.
 */
export function toHttpResult(result: APIGatewayProxyResultV2 | undefined): HttpResult {
  if (result === undefined || result === null || typeof result !== "object" || !("statusCode" in result)) {
    return {
      statusCode: 200,
      headers: { "content-type": "application/json" },
      cookies: [],
      body: Buffer.from(typeof result === "string" ? result : JSON.stringify(result ?? null)),
    };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const body = result.body ?? "";
  return {
    statusCode: result.statusCode ?? 200,
    headers,
    cookies: result.cookies ?? [],
    body: result.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8"),
  };
}
