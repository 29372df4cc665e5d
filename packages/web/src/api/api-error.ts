import { ErrorBody, ErrorCode } from "@tasks/core/contract";

/** Codes the client adds for failures that never reached (or never came back from) the API. */
export const ClientErrorCode = {
  NETWORK: "NETWORK",
  BAD_RESPONSE: "BAD_RESPONSE",
} as const;

/** A failed API call, with the contract's error code when the API sent one. */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { requestId?: string; currentVersion?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  /** Safe to send again unchanged: nothing happened, or the server asked us to come back later. */
  get isTransient(): boolean {
    return (
      this.code === ClientErrorCode.NETWORK ||
      this.code === ErrorCode.REQUEST_IN_PROGRESS ||
      this.status === 429 ||
      this.status === 503
    );
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Builds an ApiError from a non-2xx response. 401s from the gateway are `{"message":"Unauthorized"}`. */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get("Retry-After"));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) {
    const { code, message, requestId, currentVersion } = parsed.data.error;
    return new ApiError(response.status, code, message, { requestId, currentVersion, retryAfterSeconds });
  }
  if (response.status === 401) {
    return new ApiError(401, ErrorCode.UNAUTHORIZED, "Your session has expired.");
  }
  // API Gateway's own throttling answer is {"message":"Too Many Requests"}, not the API's envelope.
  if (response.status === 429) {
    return new ApiError(429, ErrorCode.TOO_MANY_REQUESTS, "Too many requests.", { retryAfterSeconds });
  }
  return new ApiError(
    response.status,
    response.status >= 500 ? ErrorCode.INTERNAL : ClientErrorCode.BAD_RESPONSE,
    `The server answered ${response.status} ${response.statusText}`.trim(),
    { retryAfterSeconds },
  );
}

/** A sentence for a person, for the alert shown when an action could not be saved. */
export function describeApiError(error: unknown): string {
  if (!isApiError(error)) return "Something went wrong. Please try again.";
  switch (error.code) {
    case ClientErrorCode.NETWORK:
      return "Cannot reach the server. Check your connection and try again.";
    case ErrorCode.VERSION_CONFLICT:
      return "This task was changed somewhere else. The latest version is shown.";
    case ErrorCode.NOT_FOUND:
      return "This task no longer exists.";
    case ErrorCode.TOO_MANY_REQUESTS:
      return "Too many requests. Wait a moment and try again.";
    case ErrorCode.SERVICE_UNAVAILABLE:
      return "The service is busy right now. Please try again shortly.";
    case ErrorCode.UNAUTHORIZED:
      return "Your session has expired. Please sign in again.";
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.TOO_MANY_TODOS:
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return error.message;
    default:
      return `The server could not save your change (${error.message}). Please try again.`;
  }
}
