/**
 * A live connection's life through what ships: a WebSocket client, the local WebSocket gateway,
 * the production `$connect` authorizer — aws-jwt-verify's CognitoJwtVerifier as deployed, with the
 * pool's JWKS preloaded instead of fetched from AWS — and the real `$connect` and `$disconnect`
 * handlers on DynamoDB Local. Tokens are signed here with a key of the test's own, so every way a
 * token can be wrong can be made.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WebSocket } from "ws";
import { ConnectionRepository, connectionsTableDefinition, createDocumentClient } from "@tasks/core";
import { connectAuthorizer, cognitoVerifier } from "@tasks/functions/live/authorizer";
import { handler as connect } from "@tasks/functions/live/connect";
import { handler as disconnect } from "@tasks/functions/live/disconnect";
import { resetLiveRuntime } from "@tasks/functions/live/live-runtime";
import { waitUntil } from "../src/ports.js";
import { startWebSocketGateway, type WebSocketGateway } from "../src/ws-gateway/ws-gateway.js";
import { signJwt } from "../test-support/jwt.js";
import { localDynamoClient } from "../src/tables.js";
import "../test-support/provided-context.js";

const endpoint = inject("dynamoEndpoint");
const tableName = `Connections-${randomUUID().slice(0, 8)}`;
const db = createDocumentClient({ endpoint });
// Tables are made with the plain client: its default timeouts suit a slow CreateTable on a busy machine.
const admin = localDynamoClient(endpoint);
const connections = new ConnectionRepository(db, tableName);

const USER_POOL_ID = "us-east-1_TestPool1";
const CLIENT_ID = "webclient123";
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${USER_POOL_ID}`;
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: "jwk" }), kid: "CognitoLocal", alg: "RS256", use: "sig" }] };

let gateway: WebSocketGateway;

beforeAll(async () => {
  await admin.send(new CreateTableCommand(connectionsTableDefinition(tableName)));
  Object.assign(process.env, {
    CONNECTIONS_TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    USER_POOL_ID,
    USER_POOL_CLIENT_ID: CLIENT_ID,
  });
  resetLiveRuntime();
  const verifier = cognitoVerifier();
  verifier.cacheJwks(jwks as never);
  gateway = await startWebSocketGateway({
    log: () => undefined,
    authorizer: { handler: connectAuthorizer(() => verifier), identitySourceQuery: ["token"] },
    routes: { $connect: connect, $disconnect: disconnect },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await admin.send(new DeleteTableCommand({ TableName: tableName }));
  db.destroy();
  admin.destroy();
});

function accessToken(sub: string, overrides: Record<string, unknown> = {}, key = privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    { sub, iss: ISSUER, client_id: CLIENT_ID, token_use: "access", scope: "aws.cognito.signin.user.admin", iat: now, exp: now + 3600, username: sub, ...overrides },
    key,
  );
}

function connectWith(token: string | undefined): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(token === undefined ? gateway.url : `${gateway.url}?token=${encodeURIComponent(token)}`);
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", (_, response) => resolve(response.statusCode ?? 0));
  });
}

describe("live connections", () => {
  const now = Math.floor(Date.now() / 1000);
  const refused: [string, string | undefined][] = [
    ["no token", undefined],
    ["an empty token", ""],
    ["garbage", "not-a-jwt"],
    ["another signing key", accessToken("u-x", {}, other.privateKey)],
    ["an expired token", accessToken("u-x", { iat: now - 7200, exp: now - 3600 })],
    ["an ID token", accessToken("u-x", { token_use: "id", aud: CLIENT_ID })],
    ["another client's token", accessToken("u-x", { client_id: "someoneelse" })],
    ["another pool's token", accessToken("u-x", { iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" })],
    ["a token without sub", accessToken("", {})],
  ];
  it.each(refused)("refuses %s at the handshake with 401, and stores nothing", async (_, token) => {
    const result = await connectWith(token);
    if (typeof result !== "number") {
      result.close(); // keep a wrongly opened connection from leaking into the next case
      await waitUntil("the stray connection to close", async () => gateway.connectionIds().length === 0, 5_000);
    }
    expect(typeof result === "number" ? result : "opened").toBe(401);
    expect(await connections.live("u-x")).toEqual([]);
  });

  it("stores an authorised connection under its user until the token expires, and forgets it on disconnect", async () => {
    const user = `user-${randomUUID()}`;
    const token = accessToken(user);
    const socket = await connectWith(token);
    if (typeof socket === "number") throw new Error(`refused with ${socket}`);
    const [connectionId] = gateway.connectionIds();
    const exp = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).exp as number;
    expect(await connections.live(user)).toEqual([{ userId: user, connectionId, expiresAt: exp, connectedAt: expect.any(String) }]);

    socket.close();
    await waitUntil("the row to go", async () => (await connections.live(user)).length === 0, 5_000);
  });

  it("keeps each user's connections apart", async () => {
    const [alice, bob] = [`user-${randomUUID()}`, `user-${randomUUID()}`];
    const sockets = await Promise.all([connectWith(accessToken(alice)), connectWith(accessToken(alice)), connectWith(accessToken(bob))]);
    expect((await connections.live(alice)).map((c) => c.userId)).toEqual([alice, alice]);
    expect((await connections.live(bob)).map((c) => c.userId)).toEqual([bob]);
    for (const socket of sockets) if (typeof socket !== "number") socket.close();
    await waitUntil("every row to go", async () => (await connections.live(alice)).length + (await connections.live(bob)).length === 0, 5_000);
  });
});
