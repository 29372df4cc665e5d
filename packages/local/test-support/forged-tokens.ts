/**
 * Tokens that must be refused, as an attacker or a confused client would present them to the
 * offline stack's authorizers (the HTTP API's JWT authorizer, the WebSocket `$connect` one): real
 * cognito-local tokens that are expired or of another client or pool, and forged ones.
 */
import { generateKeyPairSync } from "node:crypto";
import {
  AdminConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import type { LocalStack } from "../src/stack.js";
import { PASSWORD, signIn, uniqueEmail, type Tokens } from "./cognito-users.js";
import { decodeJwtPart, signJwt } from "./jwt.js";

/** A real sign-in whose access token lives `seconds` (the app client's validity, restored afterwards). */
export async function shortLivedTokens(cognito: CognitoIdentityProviderClient, stack: LocalStack, email: string, seconds: number): Promise<Tokens> {
  const update = (validity: number, unit: "seconds" | "hours") =>
    cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: stack.userPoolId,
        ClientId: stack.userPoolClientId,
        AccessTokenValidity: validity,
        TokenValidityUnits: { AccessToken: unit, IdToken: "hours", RefreshToken: "days" },
      }),
    );
  await update(seconds, "seconds");
  try {
    return await signIn(cognito, stack.userPoolClientId, email);
  } finally {
    await update(1, "hours");
  }
}

/** Resolves once `token` has expired (its `exp` has passed by more than a second). */
export async function expiry(token: string): Promise<void> {
  const { exp } = decodeJwtPart(token, 1) as { exp: number };
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now() + 1_100)));
}

/** The user's tokens from another app client of the same pool (same issuer, other client_id). */
export async function tokensOfAnotherClient(cognito: CognitoIdentityProviderClient, stack: LocalStack, email: string): Promise<Tokens> {
  const other = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: stack.userPoolId,
      ClientName: "someone-else",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  return signIn(cognito, other.UserPoolClient!.ClientId!, email);
}

/** Tokens of a user of another pool on the same cognito-local (other issuer), with that pool's id. */
export async function tokensOfAnotherPool(cognito: CognitoIdentityProviderClient): Promise<Tokens & { poolId: string }> {
  const pool = await cognito.send(
    new CreateUserPoolCommand({ PoolName: "other", UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] }),
  );
  const poolId = pool.UserPool!.Id!;
  const client = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "other", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }),
  );
  const clientId = client.UserPoolClient!.ClientId!;
  const email = uniqueEmail("mallory");
  await cognito.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
  return { ...(await signIn(cognito, clientId, email)), poolId };
}

/** `token`'s claims, valid for another hour, signed with a key of the attacker's (cognito-local's kid kept). */
export function signedWithAnotherKey(token: string): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return signJwt({ ...decodeJwtPart(token, 1), exp: Math.floor(Date.now() / 1000) + 3600 }, privateKey);
}
