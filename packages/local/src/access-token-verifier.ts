/**
 * What the WebSocket `$connect` authorizer verifies tokens with offline. On AWS it uses
 * aws-jwt-verify's CognitoJwtVerifier (tokenUse "access", clientId = the web client), which
 * refuses cognito-local's `local_…` pool ids and `http` issuers; this applies the same checks —
 * signature against the pool's JWKS, issuer, expiry, `token_use` is "access", `client_id` is the
 * client — with JwtRsaVerifier over plain HTTP. The authorizer's own logic runs unchanged
 * (`connectAuthorizer` in packages/functions takes the verifier).
 */
import { JwtRsaVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { AccessTokenVerifier } from "@tasks/functions/live/authorizer";
import { httpJwksFetcher } from "./jwt-authorizer.js";

export function localAccessTokenVerifier(options: { issuer: string; clientId: string }): AccessTokenVerifier {
  return JwtRsaVerifier.create(
    {
      issuer: options.issuer,
      jwksUri: `${options.issuer}/.well-known/jwks.json`,
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== "access") throw new Error(`token_use is ${String(payload.token_use)}, not access`);
        if (payload.client_id !== options.clientId) throw new Error("client_id is not the app's client");
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: httpJwksFetcher }) },
  );
}
