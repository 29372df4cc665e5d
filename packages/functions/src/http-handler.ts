/**
 * The one wrapper every route handler goes through. It owns the HTTP envelope and the
 * cross-cutting work: logging context, the caller's identity, the caller's fair share of requests
 * (one per-user counter, docs/capacity.md "Fair share"), body size, JSON and query validation,
 * error mapping and metrics. Handlers receive validated input and return a response.
 */
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { z } from "zod";
import { logger, metrics, MetricUnit } from "./observability.js";
import { getRuntime } from "./runtime.js";
import { SERVER_ERROR_METRIC, SERVICE_UNAVAILABLE_METRIC, USER_RATE_LIMITED_METRIC } from "./telemetry-names.js";
import { toErrorResponse } from "./http/error-mapping.js";
import { HttpError, RETRY_AFTER_SECONDS } from "./http/http-error.js";
import { assertBodySize, parseJsonBody, parseQuery, userIdOf, type ApiEvent } from "./http/request.js";
import type { HttpResponse } from "./http/responses.js";

export interface HandlerSpec<Body, Query> {
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
  /**
   * DELETE /account only: a closed account's requests are 401, except the one that finishes
   * closing it (account.ts in core: a close cut short resumes on retry).
   */
  allowClosedAccount?: boolean;
}

export interface ValidRequest<Body, Query> {
  userId: string;
  /** When the caller's account was closed, if it was (only with `allowClosedAccount`). */
  closedAt?: string;
  body: Body;
  query: Query;
  event: ApiEvent;
  context: Context;
}

export type ApiHandler = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export function httpHandler<Body = undefined, Query = undefined>(
  spec: HandlerSpec<Body, Query>,
  handle: (request: ValidRequest<Body, Query>) => Promise<HttpResponse>,
): ApiHandler {
  return async (event, context) => {
    const started = performance.now();
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    logger.addContext(context);
    logger.appendKeys({ requestId, route: event.routeKey });
    metrics.captureColdStartMetric();
    let response: HttpResponse;
    try {
      const userId = userIdOf(event);
      logger.appendKeys({ userId });
      response = await beforeDeadline(
        (async () => {
          // Counted before anything else is read: a malformed request takes from the share too.
          // The same write says whether the account is closed: its tokens still pass API Gateway's
          // JWT check (signature and expiry) until they expire.
          const { closedAt } = await getRuntime().limiter.consume(userId);
          if (closedAt && !spec.allowClosedAccount) throw new HttpError(401, "UNAUTHORIZED", "This account has been deleted");
          assertBodySize(event);
          const body = (spec.body ? parseJsonBody(event, spec.body) : undefined) as Body;
          const query = (spec.query ? parseQuery(event, spec.query) : undefined) as Query;
          return handle({ userId, ...(closedAt ? { closedAt } : {}), body, query, event, context });
        })(),
        context,
      );
    } catch (error) {
      response = toErrorResponse(error, requestId);
    }
    response.headers = { ...response.headers, "x-request-id": requestId };
    const durationMs = Math.round(performance.now() - started);
    logger.info("request", { method: event.requestContext?.http?.method, path: event.rawPath, status: response.statusCode, durationMs });
    if (response.statusCode === 500) metrics.addMetric(SERVER_ERROR_METRIC, MetricUnit.Count, 1);
    if (response.statusCode === 503) metrics.addMetric(SERVICE_UNAVAILABLE_METRIC, MetricUnit.Count, 1);
    if (response.statusCode === 429) metrics.addMetric(USER_RATE_LIMITED_METRIC, MetricUnit.Count, 1);
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.resetKeys();
    return response;
  };
}

/** Time kept back from the function's timeout to answer (and log) before Lambda cuts it off. */
const DEADLINE_MARGIN_MS = 500;

/**
 * Time kept back, before the wrapper's own 503, for the writes still in flight when a long
 * operation stops starting new ones (one transaction of 99 items takes well under a second).
 */
const WORK_MARGIN_MS = 2_000;

/** For long operations (mark all, a list's purge): true once they must stop starting writes. */
export function outOfTime(context: Context): () => boolean {
  return () => context.getRemainingTimeInMillis() < DEADLINE_MARGIN_MS + WORK_MARGIN_MS;
}

/**
 * The SDK retries within its own timeouts, and a request may make several calls: rather than let
 * Lambda time out (API Gateway would answer a bare 500), answer 503 SERVICE_UNAVAILABLE shortly
 * before the deadline. Work still in flight then promises nothing either way, as any 503.
 */
async function beforeDeadline<T>(work: Promise<T>, context: Context): Promise<T> {
  const remaining = context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HttpError(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable; retry later", [], {
            "retry-after": String(RETRY_AFTER_SECONDS),
          }),
        ),
      Math.max(0, remaining),
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
