/**
 * The local API Gateway (HTTP API): THE route table of packages/functions, each route's handler
 * invoked in-process with the payload-2.0 event API Gateway would build, behind the same JWT
 * authorizer rules, CORS and stage throttling as the deployed stage (infra/api.ts).
 *
 * Besides the API, it serves the API reference page (api-reference.ts) under /__local/, which
 * API Gateway does not have and no route can reach.
 *
 * What a request goes through, in API Gateway's order and with its own answers:
 *   throttling (the route's bucket and the account's; token-bucket.ts)
 *               → 429 {"message":"Too Many Requests"} (+ Retry-After)
 *   CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) → 204, no token needed
 *   route match → 404 {"message":"Not Found"}
 *   JWT authorizer → 401 {"message":"Unauthorized"}
 *   handler error or timeout → 500 {"message":"Internal Server Error"}
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { invokeFunction, LOCAL_ACCOUNT_ID } from "./lambda-invoke.js";
import { routes as routeTable, type Route } from "@tasks/functions/routes";
import { API_THROTTLE } from "../../../infra/limits.js";
import { buildEvent, newRequestId, splitTarget, toHttpResult, type HttpResult } from "./api-event.js";
import { API_REFERENCE_PATH, apiReferenceFile } from "./api-reference.js";
import { API_CORS, isPreflight, preflightHeaders, responseCorsHeaders, type CorsPolicy } from "./cors.js";
import { BodyTooLargeError, closeServer, listenOnLoopback, readBody } from "./http-server.js";
import type { JwtAuthorizer } from "./jwt-authorizer.js";
import { LOOPBACK } from "./ports.js";
import { createRouteMatcher } from "./route-matcher.js";
import { StageThrottle, type Clock, type ThrottleSettings } from "./token-bucket.js";

export type ApiHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyResultV2 | undefined>;

export interface GatewayOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  authorizer: JwtAuthorizer;
  /** Web origins allowed by CORS (exact scheme://host:port). */
  allowOrigins: readonly string[];
  /**
   * The stage's default route throttling, applied to each route on its own; defaults to the
   * deployed stage's `defaultRouteSettings` (infra/limits.ts).
   */
  throttle?: ThrottleSettings;
  /** The account-level bucket every request also takes from; defaults to AWS's default quota. */
  accountThrottle?: ThrottleSettings;
  /** Milliseconds on a monotonic clock, for the throttle's buckets (tests pass a manual one). */
  clock?: Clock;
  routes?: readonly Route[];
  /** How a route's handler is loaded; by default `@tasks/functions/<route.handler>`. */
  loadHandler?: (route: Route) => Promise<ApiHandler>;
  region?: string;
  /** The deployed functions' default timeout (a route may set its own); a slower handler gets API Gateway's 500. */
  functionTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface Gateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** API Gateway HTTP APIs accept payloads up to 10 MB. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const API_ID = "local";

export async function defaultLoadHandler(route: Route): Promise<ApiHandler> {
  const module = (await import(`@tasks/functions/${route.handler}`)) as { handler: ApiHandler };
  return module.handler;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const match = createRouteMatcher(options.routes ?? routeTable);
  const throttle = new StageThrottle(
    { defaultRoute: options.throttle ?? API_THROTTLE, ...(options.accountThrottle ? { account: options.accountThrottle } : {}) },
    options.clock,
  );
  const cors: CorsPolicy = { ...API_CORS, allowOrigins: options.allowOrigins };
  const loadHandler = options.loadHandler ?? defaultLoadHandler;
  const handlers = new Map<Route, Promise<ApiHandler>>();
  const region = options.region ?? "us-east-1";
  const timeoutMs = options.functionTimeoutMs ?? 10_000;
  const log = options.log ?? ((line: string) => console.error(line));

  /** When each request arrived, for its Server-Timing header. */
  const arrivals = new WeakMap<IncomingMessage, number>();

  function send(request: IncomingMessage, response: ServerResponse, requestId: string, result: HttpResult): void {
    const arrived = arrivals.get(request);
    const headers: Record<string, string | string[]> = {
      ...result.headers,
      ...(result.cookies.length ? { "set-cookie": result.cookies } : {}),
      "apigw-requestid": requestId,
      // What API Gateway reports as the `Latency` metric: from receiving the request to answering
      // it. Browsers show it in their network panel; `pnpm bench` compares it with bare DynamoDB.
      ...(arrived === undefined ? {} : { "server-timing": `gateway;dur=${(performance.now() - arrived).toFixed(3)}` }),
      ...(responseCorsHeaders(cors, request) as Record<string, string>),
    };
    const body = result.statusCode === 204 || request.method === "HEAD" ? undefined : result.body;
    // API Gateway answers with Content-Length, not chunked encoding.
    if (body !== undefined) headers["content-length"] = String(body.byteLength);
    response.writeHead(result.statusCode, headers);
    response.end(body);
  }

  function gatewayAnswer(statusCode: number, message: string, headers: Record<string, string> = {}): HttpResult {
    return {
      statusCode,
      headers: { "content-type": "application/json", ...headers },
      cookies: [],
      body: Buffer.from(JSON.stringify({ message })),
    };
  }

  async function invoke(route: Route, event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<HttpResult> {
    let handlerPromise = handlers.get(route);
    if (!handlerPromise) {
      handlerPromise = loadHandler(route);
      handlers.set(route, handlerPromise);
    }
    const handler = await handlerPromise;
    const functionName = `tasks-local-${route.handler.replaceAll("/", "-")}`;
    const routeTimeoutMs = route.timeoutSeconds !== undefined ? route.timeoutSeconds * 1000 : timeoutMs;
    return toHttpResult(await invokeFunction(handler, event, { functionName, region, timeoutMs: routeTimeoutMs }));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    arrivals.set(request, performance.now());
    const requestId = newRequestId();
    const now = new Date();
    const method = request.method ?? "GET";
    const { rawPath } = splitTarget(request.url ?? "/");
    if (method === "GET" && rawPath.startsWith(API_REFERENCE_PATH.slice(0, -1))) {
      request.resume();
      const file = await apiReferenceFile(rawPath);
      if (file) {
        response.writeHead(200, { "content-type": file.type, "content-length": String(file.body.byteLength), "cache-control": "no-cache" });
        response.end(file.body);
        return;
      }
    }
    const preflight = isPreflight(request);
    const matched = preflight ? undefined : match(method, rawPath);
    const retryAfter = throttle.take(matched?.routeKey);
    if (retryAfter > 0) {
      request.resume();
      return send(request, response, requestId, gatewayAnswer(429, "Too Many Requests", { "retry-after": String(retryAfter) }));
    }
    if (preflight) {
      request.resume();
      response.writeHead(204, { ...preflightHeaders(cors, request), "apigw-requestid": requestId });
      response.end();
      return;
    }
    if (!matched) {
      request.resume();
      return send(request, response, requestId, gatewayAnswer(404, "Not Found"));
    }
    let body: Buffer;
    try {
      body = await readBody(request, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return send(request, response, requestId, gatewayAnswer(413, "Request Entity Too Large"));
      }
      throw error;
    }
    const authorization = await options.authorizer(request.headers.authorization);
    if (!authorization) {
      return send(
        request,
        response,
        requestId,
        gatewayAnswer(401, "Unauthorized", { "www-authenticate": 'Bearer error="invalid_token"' }),
      );
    }
    const event = buildEvent(
      {
        method,
        url: request.url ?? "/",
        rawHeaders: request.rawHeaders,
        body,
        sourceIp: request.socket.remoteAddress ?? LOOPBACK,
        httpVersion: request.httpVersion,
      },
      matched,
      { requestId, authorization, accountId: LOCAL_ACCOUNT_ID, apiId: API_ID, now },
    );
    let result: HttpResult;
    try {
      result = await invoke(matched.route, event);
    } catch (error) {
      log(`[api] ${matched.routeKey} failed (request ${requestId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      result = gatewayAnswer(500, "Internal Server Error");
    }
    send(request, response, requestId, result);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`[api] ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: "Internal Server Error" }));
      }
    });
  });
  const port = await listenOnLoopback(server, options.port ?? 0);
  return { url: `http://${LOOPBACK}:${port}`, port, stop: () => closeServer(server) };
}
