/**
 * The SPA's Content-Security-Policy. The browser may talk only to the site itself, the HTTP API,
 * the live WebSocket API and Cognito's user-pool endpoint (Amplify Auth's SRP / password sign-in and token refresh);
 * nothing may frame the site. No SST globals here: infra/web.ts feeds it resolved values.
 */
export function contentSecurityPolicy(input: { apiOrigin: string; wsOrigin: string; region: string }): string {
  const cognito = `https://cognito-idp.${input.region}.amazonaws.com`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${new URL(input.apiOrigin).origin} ${new URL(input.wsOrigin).origin} ${cognito}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "upgrade-insecure-requests",
  ].join("; ");
}

/** HSTS max-age: two years, the value browsers' preload lists expect. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;
