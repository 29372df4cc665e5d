/**
 * Live connections through the whole offline stack: real cognito-local tokens, the stack's
 * WebSocket gateway with the production `$connect` authorizer and handlers, DynamoDB Local. The
 * forged-token battery at `$connect`, with tokens Cognito really issues (ID, refresh, expired,
 * another client's or pool's) and ones an attacker would make.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WebSocket } from "ws";
import { ConnectionRepository, createDocumentClient } from "@tasks/core";
import { waitUntil } from "../src/ports.js";
import { startLocalStack, type LocalStack } from "../src/stack.js";
import { cognitoAt, signUpAndSignIn, uniqueEmail, type Tokens } from "../test-support/cognito-users.js";
import { expiry, shortLivedTokens, signedWithAnotherKey, tokensOfAnotherClient, tokensOfAnotherPool } from "../test-support/forged-tokens.js";
import { decodeJwtPart, encodeJwtPart } from "../test-support/jwt.js";
import "../test-support/provided-context.js";

let stack: LocalStack;
let user: Tokens & { sub: string; email: string };
let connections: ConnectionRepository;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  const suffix = randomUUID().slice(0, 8);
  stack = await startLocalStack({
    dynamoDbEndpoint: inject("dynamoEndpoint"),
    tableNames: { todos: `Todos-${suffix}`, idempotency: `Idempotency-${suffix}` },
    log: () => undefined,
    web: false,
  });
  const email = uniqueEmail("live");
  user = { ...(await signUpAndSignIn(stack, email)), email };
  db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint });
  connections = new ConnectionRepository(db, stack.tableNames.connections);
});

afterAll(async () => {
  db?.destroy();
  await stack?.stop();
});

interface Client {
  socket: WebSocket;
  messages: string[];
}

function connect(token: string | undefined): Promise<Client | number> {
  return new Promise((resolve) => {
    const url = token === undefined ? stack.wsUrl : `${stack.wsUrl}?token=${encodeURIComponent(token)}`;
    const socket = new WebSocket(url);
    const messages: string[] = [];
    socket.on("message", (data) => messages.push(data.toString()));
    socket.once("open", () => resolve({ socket, messages }));
    socket.once("unexpected-response", (_, response) => resolve(response.statusCode ?? 0));
  });
}

/** The access token with its payload changed but the original signature kept. */
function tampered(token: string, change: Record<string, unknown>): string {
  const [head, , signature] = token.split(".");
  return `${head}.${encodeJwtPart({ ...decodeJwtPart(token, 1), ...change })}.${signature}`;
}

describe("live connections through the offline stack", () => {
  it("writes wsUrl to the stack's outputs", () => {
    expect(stack.outputs.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it("refuses every token that is not the user's current access token, with 401", async () => {
    const cognito = cognitoAt(stack.cognitoEndpoint);
    const [expired, otherClient, otherPool] = await Promise.all([
      shortLivedTokens(cognito, stack, user.email, 2),
      tokensOfAnotherClient(cognito, stack, user.email),
      tokensOfAnotherPool(cognito),
    ]).finally(() => cognito.destroy());
    await expiry(expired.accessToken);
    const cases: [string, string | undefined][] = [
      ["no token", undefined],
      ["garbage", "garbage"],
      ["the ID token", user.idToken],
      ["the refresh token", user.refreshToken],
      ["an expired access token", expired.accessToken],
      ["another client's access token", otherClient.accessToken],
      ["another pool's access token", otherPool.accessToken],
      ["a token signed with another key", signedWithAnotherKey(user.accessToken)],
      ["a tampered sub", tampered(user.accessToken, { sub: randomUUID() })],
      ["a tampered expiry", tampered(user.accessToken, { exp: Math.floor(Date.now() / 1000) + 86_400 * 365 })],
      ["alg none", `${encodeJwtPart({ alg: "none", typ: "JWT" })}.${user.accessToken.split(".")[1]}.`],
    ];
    for (const [name, token] of cases) {
      const result = await connect(token);
      if (typeof result !== "number") result.socket.close();
      expect(typeof result === "number" ? result : "opened", name).toBe(401);
    }
    expect(await connections.live(user.sub)).toEqual([]);
  });

  it("opens with the access token, records the connection under the user, takes pings silently, and forgets it on close", async () => {
    const client = await connect(user.accessToken);
    if (typeof client === "number") throw new Error(`refused with ${client}`);
    const rows = await connections.live(user.sub);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.expiresAt).toBe(decodeJwtPart(user.accessToken, 1).exp);

    client.socket.send('{"action":"ping"}');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.messages).toEqual([]); // no greeting, and no answer to a ping

    client.socket.close();
    await waitUntil("the connection row to go", async () => (await connections.live(user.sub)).length === 0, 5_000);
  });
});
