/**
 * Reading an API Gateway v2 request: identity from the verified JWT claims, the JSON body, the
 * query string and headers, each validated; every failure is an HttpError with its status.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { ListId, MAX_BODY_BYTES, TodoId, type ErrorDetail } from "@tasks/core/contract";
import type { z } from "zod";
import { HttpError } from "./http-error.js";

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/**
 * The caller's user id: the `sub` of a verified *access* token. API Gateway's JWT authorizer also
 * lets Cognito ID tokens through (their `aud` is the client id), so `token_use` is checked here.
 */
export function userIdOf(event: ApiEvent): string {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== "string" || sub.length === 0 || claims?.token_use !== "access") {
    throw new HttpError(401, "UNAUTHORIZED", "A valid access token is required");
  }
  return sub;
}

export function zodDetails(error: z.ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    const keys = issue.code === "unrecognized_keys" ? `: ${issue.keys.join(", ")}` : "";
    return { path: path || "(root)", message: `${issue.message}${keys}` };
  });
}

function validationFailed(message: string, details: ErrorDetail[]): HttpError {
  return new HttpError(400, "VALIDATION_FAILED", message, details);
}

export function header(event: ApiEvent, name: string): string | undefined {
  // API Gateway v2 lower-cases header names; the offline gateway does the same.
  return event.headers?.[name.toLowerCase()];
}

function rawBody(event: ApiEvent): Buffer | undefined {
  if (event.body === undefined || event.body === null || event.body === "") return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
}

/** Refuses oversized bodies on every route, before anything is parsed. */
export function assertBodySize(event: ApiEvent): void {
  const body = rawBody(event);
  if (body && body.byteLength > MAX_BODY_BYTES) {
    throw new HttpError(413, "PAYLOAD_TOO_LARGE", `The body must be at most ${MAX_BODY_BYTES} bytes`);
  }
}

export function parseJsonBody<T>(event: ApiEvent, schema: z.ZodType<T>): T {
  const body = rawBody(event);
  const contentType = header(event, "content-type") ?? "";
  if (body === undefined) throw validationFailed("A JSON body is required", [{ path: "body", message: "is missing" }]);
  if (!/^application\/json\s*(;|$)/i.test(contentType.trim())) {
    throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "The body must be JSON (Content-Type: application/json)");
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw validationFailed("The body is not valid JSON", [{ path: "body", message: "is not valid JSON" }]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed("The body is invalid", zodDetails(parsed.error, "body"));
  return parsed.data;
}

export function parseQuery<T>(event: ApiEvent, schema: z.ZodType<T>): T {
  // A repeated parameter arrives comma-joined (API Gateway v2 semantics) and then fails validation.
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw validationFailed("The query string is invalid", zodDetails(parsed.error, "query"));
  return parsed.data;
}

export function pathTodoId(event: ApiEvent): string {
  const parsed = TodoId.safeParse(event.pathParameters?.id);
  if (!parsed.success) throw validationFailed("Invalid task id", [{ path: "id", message: "must be a task id" }]);
  return parsed.data;
}

export function pathListId(event: ApiEvent): string {
  const parsed = ListId.safeParse(event.pathParameters?.listId);
  if (!parsed.success) throw validationFailed("Invalid list id", [{ path: "listId", message: 'must be a list id ("default" or a ULID)' }]);
  return parsed.data;
}

/** `If-Match: 3` or `If-Match: "3"` → 3; absent → undefined. */
export function ifMatchVersion(event: ApiEvent): number | undefined {
  const value = header(event, "if-match");
  if (value === undefined) return undefined;
  const match = /^\s*"?(\d{1,15})"?\s*$/.exec(value);
  if (!match) {
    throw validationFailed("Invalid If-Match header", [{ path: "If-Match", message: "must be a task version" }]);
  }
  return Number(match[1]);
}

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,128}$/;

export function idempotencyKey(event: ApiEvent): string | undefined {
  const value = header(event, "idempotency-key");
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw validationFailed("Invalid Idempotency-Key header", [
      { path: "Idempotency-Key", message: "must be 1 to 128 visible ASCII characters" },
    ]);
  }
  return value;
}
