import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { ErrorBody, ErrorCode, ErrorDetail } from "@tasks/core/contract";

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };

const JSON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function ok(body: unknown): HttpResponse {
  return json(200, body);
}

export function created(body: unknown, location: string): HttpResponse {
  return json(201, body, { location });
}

export function noContent(): HttpResponse {
  return { statusCode: 204, headers: { "cache-control": "no-store" } };
}

export interface ErrorOptions {
  details?: ErrorDetail[];
  requestId?: string;
  currentVersion?: number;
  headers?: Record<string, string>;
}

export function errorResponse(statusCode: number, code: ErrorCode, message: string, options: ErrorOptions = {}) {
  const body: ErrorBody = {
    error: {
      code,
      message,
      ...(options.details?.length ? { details: options.details } : {}),
      ...(options.requestId ? { requestId: options.requestId } : {}),
      ...(options.currentVersion !== undefined ? { currentVersion: options.currentVersion } : {}),
    },
  };
  return json(statusCode, body, options.headers);
}
