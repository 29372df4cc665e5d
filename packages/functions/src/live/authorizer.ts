/**
 * The `$connect` REQUEST authorizer: API Gateway's JWT authorizer type does not exist for
 * WebSocket APIs, so this Lambda verifies the Cognito access token the client sends as
 * `?token=` (browsers cannot set headers on a WebSocket). It allows the connection with the
 * user's id and the token's expiry as context, which every later event of the connection
 * carries; any failure is API Gateway's 401 ("Unauthorized").
 */
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { APIGatewayAuthorizerResult } from "aws-lambda";
import * as z from "zod";
import { logger } from "../observability.js";
import type { WebSocketAuthorizerEvent } from "./ws-events.js";

/** Verifies an access token of the app's client and answers its claims, or throws. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<{ sub?: unknown; exp?: unknown }>;
}

const Environment = z.object({ USER_POOL_ID: z.string().min(1), USER_POOL_CLIENT_ID: z.string().min(1) });

export function cognitoVerifier() {
  const env = Environment.parse(process.env);
  // tokenUse "access" refuses ID tokens; clientId refuses tokens of any other client.
  return CognitoJwtVerifier.create({ userPoolId: env.USER_POOL_ID, clientId: env.USER_POOL_CLIENT_ID, tokenUse: "access" });
}

/** The handler, over a verifier made on first use (the offline stack passes its own: README, "Offline stack"). */
export function connectAuthorizer(makeVerifier: () => AccessTokenVerifier) {
  let verifier: AccessTokenVerifier | undefined;
  return async (event: WebSocketAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = event.queryStringParameters?.token;
    let claims: { sub?: unknown; exp?: unknown };
    try {
      if (!token) throw new Error("no token");
      verifier ??= makeVerifier();
      claims = await verifier.verify(token);
    } catch (error) {
      logger.info("connection refused", { reason: error instanceof Error ? error.message : String(error) });
      throw new Error("Unauthorized");
    }
    const { sub, exp } = claims;
    if (typeof sub !== "string" || sub === "" || typeof exp !== "number") throw new Error("Unauthorized");
    return {
      principalId: sub,
      policyDocument: {
        Version: "2012-10-17",
        Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }],
      },
      context: { userId: sub, expiresAt: exp },
    };
  };
}

export const handler = connectAuthorizer(cognitoVerifier);
