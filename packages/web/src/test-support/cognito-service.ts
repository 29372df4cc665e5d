/**
 * Cognito's user-pool JSON API (POST /, X-Amz-Target: AWSCognitoIdentityProviderService.<Op>) at
 * the HTTP boundary, for msw. Amplify runs for real in the component tests and talks to this.
 * It keeps users in memory and records every operation so tests can assert what was sent.
 *
 * It answers as the deployed app client, which prevents user existence errors
 * (`preventUserExistenceErrors: "ENABLED"`, infra/auth.ts; what Cognito then does:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html):
 * an unknown address never gets UserNotFoundException. Sign-in fails as a wrong password does,
 * ForgotPassword and ResendConfirmationCode answer as if a code went to a simulated address,
 * ConfirmForgotPassword as if the code were wrong; ConfirmSignUp (for which the page names no
 * answer) answers NotAuthorizedException, as cognito-local and the offline proxy do.
 */
import { http, HttpResponse } from "msw";
import { createSrpServer } from "./cognito-srp";
import { makeJwt } from "./jwt";

export const COGNITO_ENDPOINT = "http://cognito.test";
export const USER_POOL_ID = "local_testpool";
export const USER_POOL_CLIENT_ID = "testclient";
/** Where Amplify sends the deployed SPA's calls (no endpoint override): Cognito's regional endpoint. */
export const DEPLOYED_COGNITO_ENDPOINT = "https://cognito-idp.us-east-1.amazonaws.com";
/** A pool id in the deployed format (`<region>_<name>`), for the SPA configured as deployed. */
export const DEPLOYED_USER_POOL_ID = "us-east-1_testpool";

interface User {
  sub: string;
  email: string;
  password: string;
  confirmed: boolean;
  code: string;
  /** The SRP salt stored with the password's verifier. */
  salt: string;
}

export interface CognitoCall {
  operation: string;
  body: Record<string, unknown>;
}

const fail = (type: string, message: string, status = 400) =>
  HttpResponse.json({ __type: type, message }, { status, headers: { "x-amzn-errortype": type } });

export function createCognitoService(options: { endpoint?: string } = {}) {
  const users = new Map<string, User>();
  // Both pool ids name the pool "testpool", the part SRP hashes in.
  const srp = createSrpServer("testpool");
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

  /** Where a code went, the address masked as Cognito masks it: the same for unknown addresses. */
  const delivery = (email: string) => ({
    Destination: email.replace(/^(.)[^@]*@(.).*$/, "$1***@$2***"),
    DeliveryMedium: "EMAIL",
    AttributeName: "email",
  });
  const incorrectCredentials = () => fail("NotAuthorizedException", "Incorrect username or password.");
  const wrongCode = () => fail("CodeMismatchException", "Invalid verification code provided, please try again.");

  const handler = http.post(`${options.endpoint ?? COGNITO_ENDPOINT}/`, async ({ request }) => {
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
        users.set(username, { sub, email: username, password: String(body.Password), confirmed: false, code: "123456", salt: srp.newSalt() });
        return HttpResponse.json({ UserConfirmed: false, UserSub: sub, CodeDeliveryDetails: delivery(username) });
      }
      case "ConfirmSignUp": {
        if (!user) return fail("NotAuthorizedException", "User cannot be confirmed.");
        if (body.ConfirmationCode !== user.code) return wrongCode();
        user.confirmed = true;
        return HttpResponse.json({});
      }
      case "ResendConfirmationCode": {
        if (!user) return HttpResponse.json({ CodeDeliveryDetails: delivery(username) });
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
        if (body.AuthFlow === "USER_SRP_AUTH") {
          const name = String(parameters.USERNAME ?? "").toLowerCase();
          const account = users.get(name);
          const srpAccount = account && { userId: account.sub, password: account.password, salt: account.salt };
          return HttpResponse.json({ ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: srp.challenge(parameters.SRP_A ?? "", srpAccount, name) });
        }
        if (body.AuthFlow !== "USER_PASSWORD_AUTH") return fail("InvalidParameterException", `Unsupported flow ${String(body.AuthFlow)}`);
        const account = users.get(String(parameters.USERNAME ?? "").toLowerCase());
        if (!account || account.password !== parameters.PASSWORD) return incorrectCredentials();
        if (!account.confirmed) return fail("UserNotConfirmedException", "User is not confirmed.");
        return HttpResponse.json({ AuthenticationResult: tokensFor(account), ChallengeParameters: {} });
      }
      case "RespondToAuthChallenge": {
        if (body.ChallengeName !== "PASSWORD_VERIFIER") return fail("InvalidParameterException", `Unsupported challenge ${String(body.ChallengeName)}`);
        const proven = srp.verify((body.ChallengeResponses ?? {}) as Record<string, string>);
        const account = proven && [...users.values()].find((u) => u.sub === proven.userId);
        if (!account) return incorrectCredentials();
        if (!account.confirmed) return fail("UserNotConfirmedException", "User is not confirmed.");
        return HttpResponse.json({ AuthenticationResult: tokensFor(account), ChallengeParameters: {} });
      }
      case "GetTokensFromRefreshToken": {
        const refreshed = [...users.values()].find((u) => `refresh-${u.sub}` === body.RefreshToken);
        if (!refreshed) return fail("NotAuthorizedException", "Invalid Refresh Token");
        return HttpResponse.json({ AuthenticationResult: tokensFor(refreshed) });
      }
      case "ForgotPassword": {
        if (!user) return HttpResponse.json({ CodeDeliveryDetails: delivery(username) });
        user.code = "777777";
        return HttpResponse.json({ CodeDeliveryDetails: delivery(user.email) });
      }
      case "ConfirmForgotPassword": {
        if (!user || body.ConfirmationCode !== user.code) return wrongCode();
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
      users.set(email.toLowerCase(), { sub, email, password, confirmed: options.confirmed ?? true, code: "123456", salt: srp.newSalt() });
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
