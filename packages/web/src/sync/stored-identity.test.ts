/**
 * An offline start with an expired access token, on the real Amplify: the refresh finds no
 * network, Amplify throws a NetworkError and keeps the tokens, and the stored identity still says
 * who is signed in. Cognito is unreachable through msw (every request a network error).
 */
import { fetchAuthSession } from "aws-amplify/auth";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { configureAuth } from "../auth/cognito";
import { COGNITO_ENDPOINT, USER_POOL_CLIENT_ID } from "../test-support/cognito-service";
import { makeJwt } from "../test-support/jwt";
import { server } from "../test-support/msw-server";
import { testConfig } from "../test-support/render-app";
import { isOfflineAuthError, storedIdentity } from "./stored-identity";

it("keeps the signed-in user through an offline start with an expired access token", async () => {
  let cognitoCalls = 0;
  server.use(http.all(`${COGNITO_ENDPOINT}*`, () => {
    cognitoCalls++;
    return HttpResponse.error();
  }));
  configureAuth(testConfig());
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  const claims = { sub: "user-sub-1", iss: "http://cognito.test/pool", exp: hourAgo, iat: hourAgo - 3600, auth_time: hourAgo - 3600 };
  const base = `CognitoIdentityServiceProvider.${USER_POOL_CLIENT_ID}`;
  localStorage.setItem(`${base}.LastAuthUser`, "user-sub-1");
  localStorage.setItem(`${base}.user-sub-1.accessToken`, makeJwt({ ...claims, token_use: "access", client_id: USER_POOL_CLIENT_ID, username: "user-sub-1" }));
  localStorage.setItem(`${base}.user-sub-1.idToken`, makeJwt({ ...claims, token_use: "id", aud: USER_POOL_CLIENT_ID, email: "ana@example.com" }));
  localStorage.setItem(`${base}.user-sub-1.refreshToken`, "refresh-token");
  localStorage.setItem(`${base}.user-sub-1.clockDrift`, "0");

  const failure = await fetchAuthSession().then(() => undefined, (error: unknown) => error);
  expect(cognitoCalls).toBeGreaterThan(0); // it did try to refresh
  expect(isOfflineAuthError(failure)).toBe(true);
  expect(localStorage.getItem(`${base}.user-sub-1.refreshToken`)).toBe("refresh-token");
  expect(storedIdentity(USER_POOL_CLIENT_ID)).toEqual({ userId: "user-sub-1", email: "ana@example.com" });
});

it("finds no one when nobody signed in, or the session has no refresh token", () => {
  expect(storedIdentity(USER_POOL_CLIENT_ID)).toBeUndefined();
  const base = `CognitoIdentityServiceProvider.${USER_POOL_CLIENT_ID}`;
  localStorage.setItem(`${base}.LastAuthUser`, "u");
  localStorage.setItem(`${base}.u.idToken`, makeJwt({ sub: "u" }));
  expect(storedIdentity(USER_POOL_CLIENT_ID)).toBeUndefined();
});
