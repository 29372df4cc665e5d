/**
 * Every error a handler can raise, mapped to the API's status and error envelope, in one place.
 * Unknown errors become a 500 that names only the request id; the details go to the log.
 */
import {
  CursorExpiredError,
  DefaultListError,
  isTransientDynamoError,
  NotFoundError,
  OutOfTimeError,
  TooManyListsError,
  TooManyTodosError,
  ValidationError,
  VersionConflictError,
} from "@tasks/core";
import { logger } from "../observability.js";
import { HttpError, RETRY_AFTER_SECONDS } from "./http-error.js";
import { errorResponse, type HttpResponse } from "./responses.js";

export function toErrorResponse(error: unknown, requestId: string): HttpResponse {
  if (error instanceof HttpError) {
    return errorResponse(error.statusCode, error.code, error.message, {
      details: error.details,
      requestId,
      headers: error.headers,
    });
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
  if (error instanceof TooManyListsError) {
    return errorResponse(409, "TOO_MANY_LISTS", error.message, { requestId });
  }
  if (error instanceof DefaultListError) {
    return errorResponse(409, "DEFAULT_LIST", error.message, { requestId });
  }
  if (error instanceof CursorExpiredError) {
    return errorResponse(410, "CURSOR_EXPIRED", error.message, { requestId });
  }
  if (error instanceof OutOfTimeError) {
    logger.warn("Out of time; the work done is kept", { done: error.done });
    return errorResponse(503, "SERVICE_UNAVAILABLE", "Not finished in time; retry to finish (what was done is kept)", {
      requestId,
      headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
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
