/**
 * The offline stack end to end, without a browser: real cognito-local behind the proxy, real
 * DynamoDB Local (the run's shared one, with this file's own tables), the local gateway and the
 * real handlers. Users are made as Amplify makes them; every route is called over HTTP.
 */
import { randomUUID } from "node:crypto";
import {
  ConfirmSignUpCommand,
  GetTokensFromRefreshTokenCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { Todo, TodoPage } from "@tasks/core/contract";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fetchConfirmationCode, startLocalStack, type LocalStack } from "../src/stack.js";
import { cognitoAt, PASSWORD, signIn, signUpAndSignIn, uniqueEmail, type Tokens } from "../test-support/cognito-users.js";
import "../test-support/provided-context.js";
import { decodeJwtPart, encodeJwtPart } from "../test-support/jwt.js";
import { expiry, shortLivedTokens, signedWithAnotherKey, tokensOfAnotherClient, tokensOfAnotherPool } from "../test-support/forged-tokens.js";

const WEB_ORIGIN = "http://localhost:5173";

let stack: LocalStack;
let cognito: CognitoIdentityProviderClient;
let alice: Tokens & { sub: string; email: string };
let bob: Tokens & { sub: string; email: string };

beforeAll(async () => {
  const suffix = randomUUID().slice(0, 8);
  stack = await startLocalStack({
    dynamoDbEndpoint: inject("dynamoEndpoint"),
    tableNames: { todos: `Todos-${suffix}`, idempotency: `Idempotency-${suffix}` },
    allowOrigins: [WEB_ORIGIN], 
    log: () => undefined,
    web: false,
  });
  cognito = cognitoAt(stack.cognitoEndpoint);
  const aliceEmail = uniqueEmail("alice");
  const bobEmail = uniqueEmail("bob");
  alice = { ...(await signUpAndSignIn(stack, aliceEmail)), email: aliceEmail };
  bob = { ...(await signUpAndSignIn(stack, bobEmail)), email: bobEmail };
});

afterAll(async () => {
  cognito?.destroy();
  await stack?.stop();
});

/** An address as Cognito masks it in CodeDeliveryDetails. */
const masked = (email: string) => email.replace(/^(.)[^@]*@(.).*$/, "$1***@$2***");

function api(path: string, token: string | undefined, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  return fetch(`${stack.apiUrl}${path}`, { ...init, headers });
}

async function createTodo(token: string, body: Record<string, unknown>): Promise<Todo> {
  const response = await api("/todos", token, { method: "POST", body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return Todo.parse(await response.json());
}

async function expectGatewayUnauthorized(token: string | undefined): Promise<void> {
  const response = await api("/todos", token);
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ message: "Unauthorized" });
}

describe("Cognito, as the SPA uses it", () => {
  it("signed up and confirmed two users, whose access tokens carry the local issuer", () => {
    for (const user of [alice, bob]) {
      const claims = decodeJwtPart(user.accessToken, 1);
      expect(claims).toMatchObject({
        iss: stack.issuer,
        client_id: stack.userPoolClientId,
        token_use: "access",
        sub: user.sub,
      });
      expect(stack.issuer).toBe(`${stack.cognitoEndpoint}/${stack.userPoolId}`);
    }
    expect(alice.sub).not.toBe(bob.sub);
  });

  it("serves the JWKS under the issuer, as Cognito does", async () => {
    const response = await fetch(`${stack.issuer}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const jwks = (await response.json()) as { keys: { kid: string; alg: string }[] };
    expect(jwks.keys).toContainEqual(expect.objectContaining({ kid: "CognitoLocal", alg: "RS256" }));
  });

  it("makes codes readable over HTTP for other processes (the browser e2e test)", async () => {
    const code = await fetchConfirmationCode(stack.cognitoEndpoint, alice.email);
    expect(code).toBe(stack.latestConfirmationCode(alice.email));
    const missing = await fetch(`${stack.cognitoEndpoint}/__local/codes/${encodeURIComponent("nobody@example.com")}`);
    expect(missing.status).toBe(404);
  });

  it("refuses to sign in an unconfirmed user, resends a code (ResendConfirmationCode), and confirms with it", async () => {
    const email = uniqueEmail("carol");
    let since = Date.now();
    await cognito.send(new SignUpCommand({ ClientId: stack.userPoolClientId, Username: email, Password: PASSWORD }));
    const first = await stack.waitForConfirmationCode(email, { since });
    await expect(signIn(cognito, stack.userPoolClientId, email)).rejects.toMatchObject({ name: "UserNotConfirmedException" });

    since = Date.now();
    const resent = await cognito.send(new ResendConfirmationCodeCommand({ ClientId: stack.userPoolClientId, Username: email }));
    expect(resent.CodeDeliveryDetails).toEqual({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: masked(email) });
    const second = await stack.waitForConfirmationCode(email, { since });
    if (second !== first) {
      await expect(
        cognito.send(new ConfirmSignUpCommand({ ClientId: stack.userPoolClientId, Username: email, ConfirmationCode: first })),
      ).rejects.toMatchObject({ name: "CodeMismatchException" });
    }
    await cognito.send(new ConfirmSignUpCommand({ ClientId: stack.userPoolClientId, Username: email, ConfirmationCode: second }));
    await expect(signIn(cognito, stack.userPoolClientId, email)).resolves.toHaveProperty("accessToken");

    await expect(
      cognito.send(new ResendConfirmationCodeCommand({ ClientId: stack.userPoolClientId, Username: email })),
    ).rejects.toMatchObject({ name: "InvalidParameterException", message: "User is already confirmed." });
  });

  it("hides whether an account exists, as the deployed client does (preventUserExistenceErrors: ENABLED)", async () => {
    const unknown = uniqueEmail("nobody");
    const client = { ClientId: stack.userPoolClientId };
    const signInAs = (username: string, password: string) =>
      cognito.send(new InitiateAuthCommand({ ...client, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: password } }));
    // A wrong password and an unknown address: the same answer.
    const refusal = { name: "NotAuthorizedException", message: "Incorrect username or password." };
    await expect(signInAs(alice.email, "Wrong-password-1")).rejects.toMatchObject(refusal);
    await expect(signInAs(unknown, PASSWORD)).rejects.toMatchObject(refusal);
    // A code "sent" to an unknown address looks like one sent to a real account.
    const real = await cognito.send(new ForgotPasswordCommand({ ...client, Username: bob.email }));
    const simulated = await cognito.send(new ForgotPasswordCommand({ ...client, Username: unknown }));
    expect(real.CodeDeliveryDetails).toEqual({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: masked(bob.email) });
    expect(simulated.CodeDeliveryDetails).toEqual({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: masked(unknown) });
    const resent = await cognito.send(new ResendConfirmationCodeCommand({ ...client, Username: unknown }));
    expect(resent.CodeDeliveryDetails).toEqual(simulated.CodeDeliveryDetails);
    await expect(
      cognito.send(new ConfirmForgotPasswordCommand({ ...client, Username: unknown, ConfirmationCode: "123456", Password: PASSWORD })),
    ).rejects.toMatchObject({ name: "CodeMismatchException" });
    await expect(cognito.send(new ConfirmSignUpCommand({ ...client, Username: unknown, ConfirmationCode: "123456" }))).rejects.toMatchObject({
      name: "NotAuthorizedException",
    });
  });

  it("refreshes tokens through GetTokensFromRefreshToken (Amplify 6's refresh), and the new token works", async () => {
    const refreshed = await cognito.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: stack.userPoolClientId, RefreshToken: alice.refreshToken }),
    );
    const result = refreshed.AuthenticationResult!;
    expect(result.TokenType).toBe("Bearer");
    expect(result.ExpiresIn).toBe(3600);
    expect(result.RefreshToken).toBeUndefined();
    expect(decodeJwtPart(result.AccessToken!, 1)).toMatchObject({ sub: alice.sub, token_use: "access" });
    expect((await api("/todos", result.AccessToken!)).status).toBe(200);

    await expect(
      cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: stack.userPoolClientId, RefreshToken: "not-a-token" })),
    ).rejects.toMatchObject({ name: "NotAuthorizedException" });
  });

  it("answers CORS preflights for the web origin", async () => {
    const response = await fetch(stack.cognitoEndpoint, {
      method: "OPTIONS",
      headers: {
        origin: WEB_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-amz-target,x-amz-user-agent,cache-control",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type,x-amz-target,x-amz-user-agent,cache-control");
    const other = await fetch(stack.cognitoEndpoint, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("the API contract through the gateway", () => {
  it("creates (201 + Location), reads, lists, updates and deletes (204) a task", async () => {
    const response = await api("/todos", alice.accessToken, { method: "POST", body: JSON.stringify({ title: "  Buy milk  " }) });
    expect(response.status).toBe(201);
    const created = Todo.parse(await response.json());
    expect(response.headers.get("location")).toBe(`/todos/${created.id}`);
    expect(created).toMatchObject({ title: "Buy milk", completed: false, version: 1 });

    const read = await api(`/todos/${created.id}`, alice.accessToken);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(created);

    const list = TodoPage.parse(await (await api("/todos", alice.accessToken)).json());
    expect(list.items.map((todo) => todo.id)).toContain(created.id);

    const patched = await api(`/todos/${created.id}`, alice.accessToken, {
      method: "PATCH",
      headers: { "if-match": "1" },
      body: JSON.stringify({ completed: true }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: created.id, completed: true, version: 2 });

    const stale = await api(`/todos/${created.id}`, alice.accessToken, {
      method: "PATCH",
      headers: { "if-match": "1" },
      body: JSON.stringify({ title: "late" }),
    });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: "VERSION_CONFLICT" } });

    const removed = await api(`/todos/${created.id}`, alice.accessToken, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe("");
    expect((await api(`/todos/${created.id}`, alice.accessToken)).status).toBe(404);
  });

  it("filters by completion, pages with a cursor, and clears completed tasks", async () => {
    const user = await signUpAndSignIn(stack, uniqueEmail("dave"));
    const done = await createTodo(user.accessToken, { title: "done", completed: true });
    const open = await createTodo(user.accessToken, { title: "open" });
    await createTodo(user.accessToken, { title: "also done", completed: true });

    const completed = TodoPage.parse(await (await api("/todos?completed=true", user.accessToken)).json());
    expect(completed.items.map((todo) => todo.title).sort()).toEqual(["also done", "done"]);

    const firstPage = TodoPage.parse(await (await api("/todos?limit=2", user.accessToken)).json());
    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const secondPage = TodoPage.parse(
      await (await api(`/todos?limit=2&cursor=${encodeURIComponent(firstPage.nextCursor!)}`, user.accessToken)).json(),
    );
    expect([...firstPage.items, ...secondPage.items].map((todo) => todo.id).sort()).toEqual(
      [done.id, open.id, ...completed.items.map((todo) => todo.id).filter((id) => id !== done.id)].sort(),
    );

    const cleared = await api("/todos?completed=true", user.accessToken, { method: "DELETE" });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toEqual({ deleted: 2 });
    const left = TodoPage.parse(await (await api("/todos", user.accessToken)).json());
    expect(left.items.map((todo) => todo.id)).toEqual([open.id]);
  });

  it("replays a keyed create and answers validation errors with the contract's statuses", async () => {
    const key = randomUUID();
    const first = await api("/todos", alice.accessToken, {
      method: "POST",
      headers: { "idempotency-key": key },
      body: JSON.stringify({ title: "once" }),
    });
    const again = await api("/todos", alice.accessToken, {
      method: "POST",
      headers: { "idempotency-key": key },
      body: JSON.stringify({ title: "once" }),
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(((await again.json()) as Todo).id).toBe(((await first.json()) as Todo).id);
    const reused = await api("/todos", alice.accessToken, {
      method: "POST",
      headers: { "idempotency-key": key },
      body: JSON.stringify({ title: "different" }),
    });
    expect(reused.status).toBe(422);

    const invalid = await api("/todos", alice.accessToken, { method: "POST", body: JSON.stringify({ title: "" }) });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    const text = await api("/todos", alice.accessToken, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(text.status).toBe(415);
    const badId = await api("/todos/not-an-id", alice.accessToken);
    expect(badId.status).toBe(400);
    const tooBig = await api("/todos", alice.accessToken, { method: "POST", body: JSON.stringify({ title: "x".repeat(20_000) }) });
    expect(tooBig.status).toBe(413);
  });

  it("keeps users apart: another user's task is 404 for every route and absent from lists", async () => {
    const secret = await createTodo(alice.accessToken, { title: "alice's secret" });
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", JSON.stringify({ title: "mine now" })],
      ["DELETE", undefined],
    ] as const) {
      const response = await api(`/todos/${secret.id}`, bob.accessToken, { method, ...(body ? { body } : {}) });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
    const bobsList = TodoPage.parse(await (await api("/todos", bob.accessToken)).json());
    expect(bobsList.items.map((todo) => todo.id)).not.toContain(secret.id);
    const cleared = await api("/todos?completed=true", bob.accessToken, { method: "DELETE" });
    expect(await cleared.json()).toEqual({ deleted: 0 });
    const still = await api(`/todos/${secret.id}`, alice.accessToken);
    expect(await still.json()).toMatchObject({ title: "alice's secret", version: 1 });
  });

  it("answers API Gateway's 404 for routes that do not exist", async () => {
    const response = await api("/todos/x/y", alice.accessToken);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: "Not Found" });
  });
});

describe("the JWT authorizer", () => {
  it("401 without a token or with a malformed one", async () => {
    await expectGatewayUnauthorized(undefined);
    await expectGatewayUnauthorized("not.a.jwt");
  });

  it("401 for a tampered token (bob's sub in alice's signed token)", async () => {
    const [header, , signature] = alice.accessToken.split(".");
    const payload = { ...decodeJwtPart(alice.accessToken, 1), sub: bob.sub };
    await expectGatewayUnauthorized(`${header}.${encodeJwtPart(payload)}.${signature}`);
  });

  it("401 for a token signed with another key, even with cognito-local's kid and valid claims", async () => {
    await expectGatewayUnauthorized(signedWithAnotherKey(alice.accessToken));
  });

  it("401 for an expired token (a real one, issued with a 3-second lifetime)", async () => {
    const shortLived = await shortLivedTokens(cognito, stack, alice.email, 3);
    const claims = decodeJwtPart(shortLived.accessToken, 1) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(3);
    expect((await api("/todos", shortLived.accessToken)).status).toBe(200);
    await expiry(shortLived.accessToken);
    await expectGatewayUnauthorized(shortLived.accessToken);
  });

  it("lets an ID token through like API Gateway does, and the handler refuses it with 401", async () => {
    const response = await api("/todos", alice.idToken);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  });

  it("401 for a token of another client of the same pool", async () => {
    const tokens = await tokensOfAnotherClient(cognito, stack, alice.email);
    expect(decodeJwtPart(tokens.accessToken, 1).iss).toBe(stack.issuer);
    await expectGatewayUnauthorized(tokens.accessToken);
  });

  it("401 for a token of another user pool", async () => {
    const { poolId, ...tokens } = await tokensOfAnotherPool(cognito);
    expect(decodeJwtPart(tokens.accessToken, 1).iss).toBe(`${stack.cognitoEndpoint}/${poolId}`);
    await expectGatewayUnauthorized(tokens.accessToken);
  });
});
