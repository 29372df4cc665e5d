import type { ErrorCode, ErrorDetail } from "@tasks/core/contract";

/** An error the HTTP layer raises itself (bad header, wrong media type, …) with its status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = "HttpError";
  }
}
