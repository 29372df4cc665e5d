/**
 * The local twin of API Gateway's JWT authorizer (infra/api.ts: issuer = the pool, audiences =
 * [the web client]). Like API Gateway it checks the signature against the issuer's JWKS, the
 * issuer, expiry/not-before, and that `aud` *or* `client_id` names an allowed client — and, like
 * API Gateway, it does not look at `token_use`: a Cognito ID token (whose `aud` is the client id)
 * gets through to the handler, which refuses it (packages/functions/src/http/request.ts). Keeping
 * that gap here means the handlers' own check is exercised offline too (README, "Offline stack").
 *
 * aws-jwt-verify's `CognitoJwtVerifier` refuses `local_…` pool ids and `http` issuers, and its
 * default fetcher speaks HTTPS only, so this uses `JwtRsaVerifier` with a plain-HTTP JWKS fetcher.
 */
import { JwtRsaVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { JwtPayload } from "aws-jwt-verify/jwt-model";

export interface JwtAuthorizerOptions {
  /** `http://127.0.0.1:<port>/<poolId>`, exactly as cognito-local writes `iss`. */
  issuer: string;
  /** The client ids accepted in `aud` or `client_id` (API Gateway's `audiences`). */
  audiences: readonly string[];
}

export interface Authorization {
  /** Every claim as a string, as API Gateway hands them to the integration. */
  claims: Record<string, string>;
  /** API Gateway sends null unless the route names authorization scopes (ours don't). */
  scopes: null;
}

export type JwtAuthorizer = (authorizationHeader: string | undefined) => Promise<Authorization | undefined>;

/** Fetches the JWKS over plain HTTP (loopback only: cognito-local has no TLS). */
export const httpJwksFetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) throw new Error(`GET ${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};

/** Bounds the memory of verified tokens; past it the cache starts over. */
const MAX_VERIFIED_TOKENS = 1_000;

export function createJwtAuthorizer(options: JwtAuthorizerOptions): JwtAuthorizer {
  const verifier = JwtRsaVerifier.create(
    {
      issuer: options.issuer,
      jwksUri: `${options.issuer}/.well-known/jwks.json`,
      audience: null,
      customJwtCheck: ({ payload }) => {
        const audiences = [payload.aud ?? []].flat();
        const clientId = typeof payload.client_id === "string" ? payload.client_id : undefined;
        const matches = [...audiences, ...(clientId ? [clientId] : [])].some((id) => options.audiences.includes(id));
        if (!matches) throw new Error("Neither aud nor client_id is an allowed audience");
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: httpJwksFetcher }) },
  );
  // A token's signature, issuer and audience never change, so a token is verified once and then
  // only its expiry is checked on each use (a browser sends the same token for up to an hour).
  const verified = new Map<string, { authorization: Authorization; expiresAt: number }>();
  return async (header) => {
    // API Gateway takes the identity source as the token alone or prefixed with "Bearer ".
    const token = header?.trim().replace(/^Bearer\s+/i, "");
    if (!token) return undefined;
    const known = verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAt) return known.authorization;
      verified.delete(token);
      return undefined;
    }
    try {
      const payload = await verifier.verify(token);
      const authorization: Authorization = { claims: claimsAsStrings(payload), scopes: null };
      if (verified.size >= MAX_VERIFIED_TOKENS) verified.clear();
      verified.set(token, { authorization, expiresAt: (payload.exp ?? 0) * 1000 });
      return authorization;
    } catch {
      return undefined;
    }
  };
}

/**
 * API Gateway passes JWT claims to the integration as strings: numbers and booleans as their
 * text, arrays as "[a b c]" (e.g. cognito:groups), objects as JSON.
 */
export function claimsAsStrings(payload: JwtPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    claims[name] = Array.isArray(value)
      ? `[${value.map(String).join(" ")}]`
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  }
  return claims;
}
