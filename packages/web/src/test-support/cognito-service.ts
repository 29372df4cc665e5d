/**
 * Cognito's user-pool JSON API (POST /, X-Amz-Target: AWSCognitoIdentityProviderService.<Op>) at
 * the HTTP boundary, for msw. Amplify runs for real in the component tests and talks to this.
 * It keeps users in memory and records every operation so tests can assert what was sent.
 */
import { http, HttpResponse } from "msw";
import { makeJwt } from "./jwt";

export const COGNITO_ENDPOINT = "http://cognito.test";
export const USER_POOL_ID = "local_testpool";
export const USER_POOL_CLIENT_ID = "testclient";

interface User {
  sub: string;
  email: string;
  password: string;
  confirmed: boolean;
  code: string;
}

export interface CognitoCall {
  operation: string;
  body: Record<string, unknown>;
}

const fail = (type: string, message: string, status = 400) =>
  HttpResponse.json({ __type: type, message }, { status, headers: { "x-amzn-errortype": type } });

export function createCognitoService() {
  const users = new Map<string, User>();
  const calls: CognitoCall[] = [];
  let nextSub = 1;
  let tokenLifetimeSeconds = 3600;
  const issuedAccessTokens: string[] = [];

  function tokensFor(user: User) {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + tokenLifetimeSeconds;
    const iss = `${COGNITO_ENDPOINT}/${USER_POOL_ID}`;
    const accessToken = makeJwt({
      sub: user.sub, iss, client_id: USER_POOL_CLIENT_ID, token_use: "access", username: user.sub,
      scope: "aws.cognito.signin.user.admin", auth_time: now, iat: now, exp,
      jti: crypto.randomUUID(), origin_jti: crypto.randomUUID(),
    });
    issuedAccessTokens.push(accessToken);
    return {
      AccessToken: accessToken,
      IdToken: makeJwt({
        sub: user.sub, iss, aud: USER_POOL_CLIENT_ID, token_use: "id", email: user.email,
        "cognito:username": user.sub, auth_time: now, iat: now, exp,
      }),
      RefreshToken: `refresh-${user.sub}`,
      ExpiresIn: tokenLifetimeSeconds,
      TokenType: "Bearer",
    };
  }

  const delivery = (email: string) => ({
    Destination: email.replace(/^(.).*@/, "$1***@"),
    DeliveryMedium: "EMAIL",
    AttributeName: "email",
  });

  const handler = http.post(`${COGNITO_ENDPOINT}/`, async ({ request }) => {
    const target = request.headers.get("x-amz-target") ?? "";
    const operation = target.replace("AWSCognitoIdentityProviderService.", "");
    const body = (await request.json()) as Record<string, unknown>;
    calls.push({ operation, body });
    const username = String(body.Username ?? "").toLowerCase();
    const user = users.get(username);

    switch (operation) {
      case "SignUp": {
        if (users.has(username)) return fail("UsernameExistsException", "User already exists");
        const sub = `00000000-0000-4000-8000-${String(nextSub++).padStart(12, "0")}`;
        users.set(username, { sub, email: username, password: String(body.Password), confirmed: false, code: "123456" });
        return HttpResponse.json({ UserConfirmed: false, UserSub: sub, CodeDeliveryDetails: delivery(username) });
      }
      case "ConfirmSignUp": {
        if (!user) return fail("UserNotFoundException", "User does not exist.");
        if (body.ConfirmationCode !== user.code) return fail("CodeMismatchException", "Invalid verification code provided, please try again.");
        user.confirmed = true;
        return HttpResponse.json({});
      }
      case "ResendConfirmationCode": {
        if (!user) return fail("UserNotFoundException", "User does not exist.");
        user.code = "654321";
        return HttpResponse.json({ CodeDeliveryDetails: delivery(user.email) });
      }
      case "InitiateAuth": {
        const parameters = (body.AuthParameters ?? {}) as Record<string, string>;
        if (body.AuthFlow === "REFRESH_TOKEN_AUTH") {
          const refreshed = [...users.values()].find((u) => `refresh-${u.sub}` === parameters.REFRESH_TOKEN);
          if (!refreshed) return fail("NotAuthorizedException", "Invalid Refresh Token");
          const { RefreshToken: _unused, ...tokens } = tokensFor(refreshed);
          return HttpResponse.json({ AuthenticationResult: tokens, ChallengeParameters: {} });
        }
        if (body.AuthFlow !== "USER_PASSWORD_AUTH") return fail("InvalidParameterException", `Unsupported flow ${String(body.AuthFlow)}`);
        const account = users.get(String(parameters.USERNAME ?? "").toLowerCase());
        if (!account) return fail("UserNotFoundException", "User does not exist.");
        if (account.password !== parameters.PASSWORD) return fail("NotAuthorizedException", "Incorrect username or password.");
        if (!account.confirmed) return fail("UserNotConfirmedException", "User is not confirmed.");
        return HttpResponse.json({ AuthenticationResult: tokensFor(account), ChallengeParameters: {} });
      }
      case "GetTokensFromRefreshToken": {
        const refreshed = [...users.values()].find((u) => `refresh-${u.sub}` === body.RefreshToken);
        if (!refreshed) return fail("NotAuthorizedException", "Invalid Refresh Token");
        return HttpResponse.json({ AuthenticationResult: tokensFor(refreshed) });
      }
      case "ForgotPassword": {
        if (!user) return fail("UserNotFoundException", "Username/client id combination not found.");
        user.code = "777777";
        return HttpResponse.json({ CodeDeliveryDetails: delivery(user.email) });
      }
      case "ConfirmForgotPassword": {
        if (!user) return fail("UserNotFoundException", "Username/client id combination not found.");
        if (body.ConfirmationCode !== user.code) return fail("CodeMismatchException", "Invalid verification code provided, please try again.");
        user.password = String(body.Password);
        return HttpResponse.json({});
      }
      case "RevokeToken":
      case "GlobalSignOut":
        return HttpResponse.json({});
      default:
        return fail("InvalidAction", `Operation ${operation} is not supported by the test service`);
    }
  });

  return {
    handler,
    calls,
    /** A confirmed account, as if it had gone through sign-up and confirmation. */
    addUser(email: string, password: string, options: { confirmed?: boolean } = {}) {
      const sub = `00000000-0000-4000-8000-${String(nextSub++).padStart(12, "0")}`;
      users.set(email.toLowerCase(), { sub, email, password, confirmed: options.confirmed ?? true, code: "123456" });
      return sub;
    },
    user: (email: string) => users.get(email.toLowerCase()),
    /** Every access token handed out, oldest first (sign-ins and refreshes). */
    issuedAccessTokens,
    operations: () => calls.map((call) => call.operation),
    setTokenLifetime(seconds: number) {
      tokenLifetimeSeconds = seconds;
    },
  };
}

export type CognitoService = ReturnType<typeof createCognitoService>;
