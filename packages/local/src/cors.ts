/**
 * CORS for the local servers, answering only the web origins of the offline stack (never `*`),
 * as API Gateway does with the `cors` block of infra/api.ts.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from "node:http";
import { API_CORS as DEPLOYED_API_CORS } from "../../../infra/limits.js";

export interface CorsPolicy {
  allowOrigins: readonly string[];
  allowMethods: readonly string[];
  /** Lower-case header names; `"*"` echoes whatever the browser asks for (the Cognito proxy). */
  allowHeaders: readonly string[] | "*";
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
}

/** The deployed API's CORS settings (infra/limits.ts, which infra/api.ts gives API Gateway). */
export const API_CORS: Omit<CorsPolicy, "allowOrigins"> = DEPLOYED_API_CORS;

function allowedOrigin(policy: CorsPolicy, request: IncomingMessage): string | undefined {
  const origin = request.headers.origin;
  return origin !== undefined && policy.allowOrigins.includes(origin) ? origin : undefined;
}

export function isPreflight(request: IncomingMessage): boolean {
  return (
    request.method === "OPTIONS" &&
    request.headers.origin !== undefined &&
    request.headers["access-control-request-method"] !== undefined
  );
}

/** Headers answering a preflight: none at all for an origin that is not allowed. */
export function preflightHeaders(policy: CorsPolicy, request: IncomingMessage): OutgoingHttpHeaders {
  const origin = allowedOrigin(policy, request);
  if (!origin) return { vary: "origin" };
  const requested = request.headers["access-control-request-headers"];
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": policy.allowMethods.join(","),
    "access-control-allow-headers": policy.allowHeaders === "*" ? (requested ?? "") : policy.allowHeaders.join(","),
    "access-control-max-age": String(policy.maxAgeSeconds),
    vary: "origin",
  };
}

/** Headers added to every actual response. */
export function responseCorsHeaders(policy: CorsPolicy, request: IncomingMessage): OutgoingHttpHeaders {
  const origin = allowedOrigin(policy, request);
  if (!origin) return {};
  return {
    "access-control-allow-origin": origin,
    ...(policy.exposeHeaders.length ? { "access-control-expose-headers": policy.exposeHeaders.join(",") } : {}),
    vary: "origin",
  };
}
