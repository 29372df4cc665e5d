import type { ErrorCode, ErrorDetail } from "@tasks/core/contract";

/** An error the HTTP layer raises itself (bad header, wrong media type, …) with its status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Seconds a client should wait before retrying after a 503 or an in-progress duplicate. */
export const RETRY_AFTER_SECONDS = 1;
