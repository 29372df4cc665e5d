/**
 * The one wrapper every route handler goes through. It owns the HTTP envelope and the
 * cross-cutting work: logging context, the caller's identity, body size, JSON and query
 * validation, error mapping and metrics. Handlers receive validated input and return a response.
 */
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { z } from "zod";
import { logger, metrics, MetricUnit } from "./observability.js";
import { toErrorResponse } from "./http/error-mapping.js";
import { assertBodySize, parseJsonBody, parseQuery, userIdOf, type ApiEvent } from "./http/request.js";
import type { HttpResponse } from "./http/responses.js";

export interface HandlerSpec<Body, Query> {
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
}

export interface ValidRequest<Body, Query> {
  userId: string;
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
      assertBodySize(event);
      const body = (spec.body ? parseJsonBody(event, spec.body) : undefined) as Body;
      const query = (spec.query ? parseQuery(event, spec.query) : undefined) as Query;
      response = await handle({ userId, body, query, event, context });
    } catch (error) {
      response = toErrorResponse(error, requestId);
    }
    response.headers = { ...response.headers, "x-request-id": requestId };
    const durationMs = Math.round(performance.now() - started);
    logger.info("request", { method: event.requestContext?.http?.method, path: event.rawPath, status: response.statusCode, durationMs });
    if (response.statusCode >= 500) metrics.addMetric("ServerError", MetricUnit.Count, 1);
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.resetKeys();
    return response;
  };
}
