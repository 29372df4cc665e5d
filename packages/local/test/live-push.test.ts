/**
 * The push path through the offline stack: writes to the Todos table → DynamoDB Local's stream →
 * the stream poller → the real fan-out handler → PostToConnection through the local
 * `@connections` endpoint → the users' sockets. Users and tokens are real cognito-local ones;
 * connections are opened through the production `$connect` authorizer and handlers.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ConnectionRepository, createDocumentClient, decodeSyncCursor } from "@tasks/core";
import { waitUntil } from "../src/ports.js";
import { startLocalStack, type LocalStack } from "../src/stack.js";
import { signUpAndSignIn, uniqueEmail, type Tokens } from "../test-support/cognito-users.js";
import { liveClient, putLogEntry, type LiveClient } from "../test-support/live-clients.js";
import "../test-support/provided-context.js";

type User = Tokens & { sub: string };

let stack: LocalStack;
let db: ReturnType<typeof createDocumentClient>;
let connections: ConnectionRepository;
const clients: LiveClient[] = [];

beforeAll(async () => {
  const suffix = randomUUID().slice(0, 8);
  stack = await startLocalStack({
    dynamoDbEndpoint: inject("dynamoEndpoint"),
    tableNames: { todos: `Todos-${suffix}`, idempotency: `Idempotency-${suffix}` },
    log: () => undefined,
    web: false,
  });
  db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint });
  connections = new ConnectionRepository(db, stack.tableNames.connections);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  db?.destroy();
  await stack?.stop();
});

async function newUsers(count: number): Promise<User[]> {
  const users: User[] = [];
  // A few at a time: cognito-local writes its state to one file per pool.
  for (let i = 0; i < count; i += 5) {
    users.push(...(await Promise.all(Array.from({ length: Math.min(5, count - i) }, () => signUpAndSignIn(stack, uniqueEmail("push"))))));
  }
  return users;
}

async function connect(user: User, onConnected?: () => Promise<void>): Promise<LiveClient> {
  const client = await liveClient(stack.wsUrl, user.accessToken, onConnected ? { onConnected } : {});
  clients.push(client);
  return client;
}

/** Creates a task as a client does, retrying a 503 (DynamoDB Local overloaded on a busy machine) with one Idempotency-Key. */
async function createTodo(user: User, title: string): Promise<void> {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${stack.apiUrl}/todos`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.accessToken}`, "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({ title }),
    });
    if (response.status === 503 && attempt < 5) {
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      continue;
    }
    expect(response.status).toBe(201);
    return;
  }
}

/** A change as the app makes it: the task through the API, and the log entry its transaction writes. */
async function change(user: User, title: string): Promise<string> {
  await createTodo(user, title);
  return putLogEntry(db, stack.tableNames.todos, user.sub);
}

async function titles(user: User): Promise<string[]> {
  const response = await fetch(`${stack.apiUrl}/todos?limit=100`, { headers: { authorization: `Bearer ${user.accessToken}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { title: string }[] }).items.map((item) => item.title);
}

/** A connection id of API Gateway's form that no socket has. */
const unknownConnectionId = () => randomBytes(12).toString("base64");

const row = (userId: string, connectionId: string) =>
  db.send(new GetCommand({ TableName: stack.tableNames.connections, Key: { userId, connectionId }, ConsistentRead: true })).then((r) => r.Item);

describe("live pokes through the offline stack", () => {
  it("20 users × 10 connections: each user's write pokes every connection of that user, and no connection of another", async () => {
    const users = await newUsers(20);
    const sockets = new Map<User, LiveClient[]>();
    for (const user of users) sockets.set(user, await Promise.all(Array.from({ length: 10 }, () => connect(user))));

    const written = new Map<User, string>();
    await Promise.all(users.map(async (user) => written.set(user, await change(user, "a change"))));

    const all = [...sockets.values()].flat();
    await waitUntil("a poke on every connection", async () => all.every((client) => client.pokes.length > 0), 30_000);
    let crossUser = 0;
    for (const [user, own] of sockets) {
      for (const client of own) {
        for (const { cursor } of client.pokes) {
          // A cursor decodes only for the user it was issued to (core's tag): another user's poke throws here.
          try {
            decodeSyncCursor(user.sub, cursor);
          } catch {
            crossUser += 1;
          }
        }
        expect(client.pokes.map(({ cursor }) => decodeSyncCursor(user.sub, cursor))).toContain(written.get(user));
      }
    }
    expect(crossUser).toBe(0);
    await Promise.all(all.map((client) => client.close()));
  });

  it("drops the row of a connection API Gateway no longer knows (410), and never posts to one whose token expired", async () => {
    const [user] = (await newUsers(1)) as [User];
    const client = await connect(user);
    const now = Math.floor(Date.now() / 1000);
    const [gone, expired] = [unknownConnectionId(), unknownConnectionId()];
    await connections.add({ userId: user.sub, connectionId: gone, expiresAt: now + 3600, connectedAt: new Date().toISOString() });
    // Past its token's expiry but not yet removed by TTL: were it posted to, the 410 would drop it.
    await connections.add({ userId: user.sub, connectionId: expired, expiresAt: now - 60, connectedAt: new Date().toISOString() });

    const entryId = await putLogEntry(db, stack.tableNames.todos, user.sub);
    await waitUntil("the poke", async () => client.pokes.length > 0, 10_000);
    expect(client.pokes.map(({ cursor }) => decodeSyncCursor(user.sub, cursor))).toEqual([entryId]);
    await waitUntil("the gone row to be dropped", async () => (await row(user.sub, gone)) === undefined, 10_000);
    expect(await row(user.sub, expired)).toBeDefined();
  });

  it("retries a user whose post failed until it succeeds, and not the users before it in the stream", async () => {
    const [failing, before] = (await newUsers(2)) as [User, User];
    const [failingClient, beforeClient] = [await connect(failing), await connect(before)];
    // API Gateway refuses a malformed id with 400 BadRequestException: a failure, not a gone connection.
    const malformed = "not a connection!";
    await db.send(
      new PutCommand({
        TableName: stack.tableNames.connections,
        Item: { userId: failing.sub, connectionId: malformed, expiresAt: Math.floor(Date.now() / 1000) + 3600, connectedAt: new Date().toISOString() },
      }),
    );

    const first = await putLogEntry(db, stack.tableNames.todos, before.sub);
    await putLogEntry(db, stack.tableNames.todos, failing.sub);
    await waitUntil("the failing user's retries", async () => failingClient.pokes.length >= 3, 15_000);
    expect(beforeClient.pokes.map(({ cursor }) => decodeSyncCursor(before.sub, cursor))).toEqual([first]);
    expect(await row(failing.sub, malformed)).toBeDefined();

    // Once the post can succeed, the retried record goes through and the stream moves on.
    await db.send(new DeleteCommand({ TableName: stack.tableNames.connections, Key: { userId: failing.sub, connectionId: malformed } }));
    const next = await putLogEntry(db, stack.tableNames.todos, before.sub);
    await waitUntil("the next poke", async () => beforeClient.pokes.length === 2, 15_000);
    expect(decodeSyncCursor(before.sub, beforeClient.pokes[1]!.cursor)).toBe(next);
    expect(beforeClient.pokes).toHaveLength(2);
  });

  it("across restarts of the stream poller and of the WebSocket gateway, every client learns of every change", async () => {
    const [user] = (await newUsers(1)) as [User];
    // Each client's resync rule: on every (re)connect, pull (GET /todos here, /sync in the SPA).
    const resyncs = [0, 0];
    const seen: Set<string>[] = [new Set(), new Set()];
    const sockets = await Promise.all(
      seen.map((set, i) =>
        connect(user, async () => {
          for (const title of await titles(user)) set.add(title);
          resyncs[i]! += 1;
        }),
      ),
    );

    // The poller down: the change waits in the stream, and its poke arrives once it is back.
    await stack.live.streams.stop();
    const whilePollerDown = await change(user, "while the poller was down");
    await stack.live.streams.start();
    await waitUntil("the poke after the poller restarted", async () => sockets.every((client) => client.pokes.length > 0), 15_000);
    for (const client of sockets) expect(client.pokes.map(({ cursor }) => decodeSyncCursor(user.sub, cursor))).toContain(whilePollerDown);

    // The gateway down: its poke has no connection to go to; the clients reconnect and resync.
    await stack.live.gateway.stop();
    await change(user, "while the gateway was down");
    await stack.live.gateway.start();
    await waitUntil("both clients to reconnect and resync", async () => resyncs.every((count) => count === 2), 15_000);
    for (const set of seen) expect(set).toContain("while the gateway was down");

    // And the reconnected connections are poked again.
    const pokesBefore = sockets.map((client) => client.pokes.length);
    const after = await change(user, "after the restarts");
    await waitUntil("a poke on the new connections", async () => sockets.every((client, i) => client.pokes.length > pokesBefore[i]!), 15_000);
    for (const client of sockets) expect(decodeSyncCursor(user.sub, client.pokes.at(-1)!.cursor)).toBe(after);
  });
});
