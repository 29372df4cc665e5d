/**
 * Users of the offline stack, made the way the SPA makes them: the Cognito API calls Amplify
 * sends (SignUp, ConfirmSignUp with the code from the "e-mail", InitiateAuth USER_PASSWORD_AUTH),
 * through the stack's Cognito endpoint (the proxy).
 */
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { LocalStack } from "../src/stack.js";

export const PASSWORD = "Local-Passw0rd!";

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export function cognitoAt(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

export function uniqueEmail(name: string): string {
  return `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export async function signIn(
  cognito: CognitoIdentityProviderClient,
  clientId: string,
  email: string,
  password = PASSWORD,
): Promise<Tokens> {
  const result = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const auth = result.AuthenticationResult;
  if (!auth?.AccessToken || !auth.IdToken || !auth.RefreshToken) throw new Error("InitiateAuth returned no tokens");
  return { accessToken: auth.AccessToken, idToken: auth.IdToken, refreshToken: auth.RefreshToken };
}

/** Sign up, read the code the stack captured, confirm, sign in. */
export async function signUpAndSignIn(stack: LocalStack, email: string): Promise<Tokens & { sub: string }> {
  const cognito = cognitoAt(stack.cognitoEndpoint);
  try {
    const since = Date.now();
    const signedUp = await cognito.send(
      new SignUpCommand({ ClientId: stack.userPoolClientId, Username: email, Password: PASSWORD }),
    );
    const code = await stack.waitForConfirmationCode(email, { since });
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: stack.userPoolClientId, Username: email, ConfirmationCode: code }),
    );
    return { ...(await signIn(cognito, stack.userPoolClientId, email)), sub: signedUp.UserSub! };
  } finally {
    cognito.destroy();
  }
}
