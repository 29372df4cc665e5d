/**
 * Domain errors. The HTTP layer maps each to a status; nothing here knows about HTTP.
 */
import type { ErrorDetail } from "./contract.js";

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(message = "Task not found") {
    super(message);
    this.name = "NotFoundError";
  }
}

export class VersionConflictError extends DomainError {
  readonly code = "VERSION_CONFLICT";
  constructor(
    readonly currentVersion: number,
    message = `The task has changed since version you sent; its current version is ${currentVersion}`,
  ) {
    super(message);
    this.name = "VersionConflictError";
  }
}

export class ValidationError extends DomainError {
  readonly code = "VALIDATION_FAILED";
  constructor(
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = "ValidationError";
  }
}

export class TooManyTodosError extends DomainError {
  readonly code = "TOO_MANY_TODOS";
  constructor(readonly limit: number) {
    super(`A user can keep at most ${limit} tasks; delete some first`);
    this.name = "TooManyTodosError";
  }
}

export class TooManyListsError extends DomainError {
  readonly code = "TOO_MANY_LISTS";
  constructor(readonly limit: number) {
    super(`A user can keep at most ${limit} lists, the default list included; delete some first`);
    this.name = "TooManyListsError";
  }
}

export class DefaultListError extends DomainError {
  readonly code = "DEFAULT_LIST";
  constructor() {
    super("The default list cannot be deleted");
    this.name = "DefaultListError";
  }
}

/**
 * A long operation (mark all, purging a deleted list) ran out of the time it was given. What it
 * did is kept and the operation is idempotent: the caller answers 503 and a retry goes on.
 */
export class OutOfTimeError extends DomainError {
  readonly code = "SERVICE_UNAVAILABLE";
  constructor(readonly done: number) {
    super(`Ran out of time after ${done} writes; retry to finish`);
    this.name = "OutOfTimeError";
  }
}

const TRANSIENT_ERROR_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TransactionConflictException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);
const TRANSIENT_NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
const TRANSIENT_CANCELLATION_CODES = new Set(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]);

/**
 * True when DynamoDB could not be reached or asked us to back off (after the SDK's own retries):
 * the caller may retry later. Walks `cause` chains, since wrappers such as Powertools
 * idempotency nest the SDK's error.
 */
export function isTransientDynamoError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const candidate = current as Error & {
      code?: string;
      $metadata?: { httpStatusCode?: number };
      CancellationReasons?: { Code?: string }[];
    };
    if (TRANSIENT_ERROR_NAMES.has(candidate.name)) return true;
    if (candidate.code && TRANSIENT_NETWORK_CODES.has(candidate.code)) return true;
    if ((candidate.$metadata?.httpStatusCode ?? 0) >= 500) return true;
    if (candidate.CancellationReasons?.some((reason) => TRANSIENT_CANCELLATION_CODES.has(reason.Code ?? ""))) {
      return true;
    }
    current = candidate.cause;
  }
  return false;
}

/** A sync cursor older than the sync log's retention: the client starts over from a snapshot (410). */
export class CursorExpiredError extends DomainError {
  readonly code = "CURSOR_EXPIRED";
  constructor() {
    super("The cursor is older than the sync log keeps; start over without `since` (a snapshot)");
    this.name = "CursorExpiredError";
  }
}
