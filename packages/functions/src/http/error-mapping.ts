/**
 * Every error a handler can raise, mapped to the API's status and error envelope, in one place.
 * Unknown errors become a 500 that names only the request id; the details go to the log.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyValidationError,
} from "@aws-lambda-powertools/idempotency";
import {
  isTransientDynamoError,
  NotFoundError,
  TooManyTodosError,
  ValidationError,
  VersionConflictError,
} from "@tasks/core";
import { logger } from "../observability.js";
import { HttpError } from "./http-error.js";
import { errorResponse, type HttpResponse } from "./responses.js";

/** Seconds a client should wait before retrying after a 503 or an in-progress duplicate. */
export const RETRY_AFTER_SECONDS = 1;

export function toErrorResponse(error: unknown, requestId: string): HttpResponse {
  if (error instanceof HttpError) {
    return errorResponse(error.statusCode, error.code, error.message, { details: error.details, requestId });
  }
  if (error instanceof ValidationError) {
    return errorResponse(400, "VALIDATION_FAILED", error.message, { details: error.details, requestId });
  }
  if (error instanceof NotFoundError) {
    return errorResponse(404, "NOT_FOUND", error.message, { requestId });
  }
  if (error instanceof VersionConflictError) {
    return errorResponse(409, "VERSION_CONFLICT", error.message, {
      currentVersion: error.currentVersion,
      requestId,
    });
  }
  if (error instanceof TooManyTodosError) {
    return errorResponse(409, "TOO_MANY_TODOS", error.message, { requestId });
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return errorResponse(409, "REQUEST_IN_PROGRESS", "A request with this Idempotency-Key is still in progress; retry later", {
      requestId,
      headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
    });
  }
  if (error instanceof IdempotencyValidationError) {
    return errorResponse(422, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different body", {
      requestId,
    });
  }
  if (isTransientDynamoError(error)) {
    logger.warn("Storage unavailable", { error: error as Error });
    return errorResponse(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable; retry later", {
      requestId,
      headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
    });
  }
  logger.error("Unhandled error", { error: error as Error });
  return errorResponse(500, "INTERNAL", "Internal error", { requestId });
}
