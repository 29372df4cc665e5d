/**
 * The local WebSocket API, driven by a real WebSocket client and AWS's own management client. The
 * handlers here are small stand-ins: what is under test is the gateway's side of the contract
 * (handshake order and answers, event shapes, @connections, disconnects), which the real
 * handlers rely on.
 */
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { APIGatewayProxyWebsocketEventSchema } from "@aws-lambda-powertools/parser/schemas";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { waitUntil } from "../src/ports.js";
import { startWebSocketGateway, type WebSocketGateway, type WebSocketGatewayOptions } from "../src/ws-gateway/ws-gateway.js";

const gateways: WebSocketGateway[] = [];
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop();
});

type Seen = { route: string; event: any }[];

/** A gateway whose authorizer allows `?token=good`, denies `?token=denied`, and refuses the rest. */
async function gateway(overrides: Partial<WebSocketGatewayOptions> = {}) {
  const seen: Seen = [];
  const started = await startWebSocketGateway({
    log: () => undefined,
    authorizer: {
      identitySourceQuery: ["token"],
      handler: async (event) => {
        seen.push({ route: "authorizer", event });
        const token = event.queryStringParameters?.token;
        if (token !== "good" && token !== "denied") throw new Error("Unauthorized");
        return {
          principalId: "user-1",
          policyDocument: {
            Version: "2012-10-17",
            Statement: [{ Action: "execute-api:Invoke", Effect: token === "good" ? "Allow" : "Deny", Resource: event.methodArn }],
          },
          context: { userId: "user-1", expiresAt: 1_900_000_000 },
        };
      },
    },
    routes: {
      $connect: async (event) => {
        seen.push({ route: "$connect", event });
        return { statusCode: 200 };
      },
      $disconnect: async (event) => {
        seen.push({ route: "$disconnect", event });
        return { statusCode: 200 };
      },
    },
    ...overrides,
  });
  gateways.push(started);
  const management = new ApiGatewayManagementApiClient({
    endpoint: started.managementEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  return { gateway: started, seen, management };
}

/** Opens a client; resolves with it once open, or with the handshake's HTTP status if refused. */
function connect(url: string): Promise<{ socket: WebSocket; messages: string[]; closed: Promise<number> } | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    const messages: string[] = [];
    const closed = new Promise<number>((done) => socket.once("close", (code) => done(code)));
    socket.on("message", (data) => messages.push(data.toString()));
    socket.once("open", () => resolve({ socket, messages, closed }));
    socket.once("unexpected-response", (_, response) => resolve(response.statusCode ?? 0));
  });
}

async function open(url: string) {
  const client = await connect(url);
  if (typeof client === "number") throw new Error(`handshake refused with ${client}`);
  return client;
}

describe("the local WebSocket gateway", () => {
  it("answers the handshake as API Gateway does: 401 without a token or for a bad one, 403 on Deny", async () => {
    const { gateway: gw, seen } = await gateway();
    expect(await connect(gw.url)).toBe(401);
    expect(seen).toHaveLength(0); // no identity source: the authorizer is never called
    expect(await connect(`${gw.url}?token=forged`)).toBe(401);
    expect(await connect(`${gw.url}?token=denied`)).toBe(403);
    expect(seen.map((s) => s.route)).toEqual(["authorizer", "authorizer"]);
    expect(gw.connectionIds()).toEqual([]);
  });

  it("runs the authorizer, then $connect with the authorizer's context, with events of AWS's shape", async () => {
    const { gateway: gw, seen } = await gateway();
    const client = await open(`${gw.url}?token=good`);
    expect(seen.map((s) => s.route)).toEqual(["authorizer", "$connect"]);
    const [authorizer, connected] = seen.map((s) => s.event);
    expect(APIGatewayProxyWebsocketEventSchema.safeParse(authorizer).error).toBeUndefined();
    expect(authorizer.methodArn).toMatch(/^arn:aws:execute-api:us-east-1:\d{12}:[^/]+\/[^/]+\/\$connect$/);
    expect(connected.requestContext).toMatchObject({
      routeKey: "$connect",
      eventType: "CONNECT",
      connectionId: authorizer.requestContext.connectionId,
      authorizer: { principalId: "user-1", userId: "user-1", expiresAt: 1_900_000_000 },
    });
    expect(connected.queryStringParameters).toEqual({ token: "good" });
    expect(gw.connectionIds()).toEqual([connected.requestContext.connectionId]);
    client.socket.close();
    await client.closed;
  });

  it("refuses the socket when $connect does not answer 2xx", async () => {
    const { gateway: gw } = await gateway({ routes: { $connect: async () => ({ statusCode: 403 }) } });
    expect(await connect(`${gw.url}?token=good`)).toBe(403);
  });

  it("delivers PostToConnection from the real SDK client, answers GetConnection, and GoneException for a closed connection", async () => {
    const { gateway: gw, seen, management } = await gateway();
    const client = await open(`${gw.url}?token=good`);
    const [ConnectionId] = gw.connectionIds();

    await management.send(new PostToConnectionCommand({ ConnectionId, Data: Buffer.from('{"type":"sync","cursor":"c1"}') }));
    await waitUntil("the message", async () => client.messages.length === 1, 5_000);
    expect(client.messages).toEqual(['{"type":"sync","cursor":"c1"}']);
    const info = await management.send(new GetConnectionCommand({ ConnectionId }));
    expect(info.Identity?.SourceIp).toBe("127.0.0.1");

    client.socket.close(1000);
    await client.closed;
    await waitUntil("$disconnect", async () => seen.some((s) => s.route === "$disconnect"), 5_000);
    const disconnected = seen.find((s) => s.route === "$disconnect")!.event;
    expect(disconnected.requestContext).toMatchObject({ eventType: "DISCONNECT", connectionId: ConnectionId, disconnectStatusCode: 1000 });
    await expect(management.send(new PostToConnectionCommand({ ConnectionId, Data: Buffer.from("late") }))).rejects.toBeInstanceOf(
      GoneException,
    );
    await expect(
      management.send(new PostToConnectionCommand({ ConnectionId: "bm90LWEtY29ubmVjdGlvbg==", Data: Buffer.from("x") })),
    ).rejects.toBeInstanceOf(GoneException);
    await expect(
      management.send(new PostToConnectionCommand({ ConnectionId: "not a connection!", Data: Buffer.from("x") })),
    ).rejects.toMatchObject({ name: "BadRequestException", $metadata: { httpStatusCode: 400 } });
  });

  it("closes a connection on DeleteConnection and runs $disconnect", async () => {
    const { gateway: gw, seen, management } = await gateway();
    const client = await open(`${gw.url}?token=good`);
    const [ConnectionId] = gw.connectionIds();
    await management.send(new DeleteConnectionCommand({ ConnectionId }));
    await client.closed;
    await waitUntil("$disconnect", async () => seen.some((s) => s.route === "$disconnect"), 5_000);
    expect(gw.connectionIds()).toEqual([]);
  });

  it("answers a message with API Gateway's Forbidden when no route takes it, and sends nothing else", async () => {
    const { gateway: gw } = await gateway();
    const client = await open(`${gw.url}?token=good`);
    expect(client.messages).toEqual([]); // no greeting
    client.socket.send('{"action":"ping"}');
    await waitUntil("the answer", async () => client.messages.length === 1, 5_000);
    expect(JSON.parse(client.messages[0]!)).toMatchObject({ message: "Forbidden", connectionId: gw.connectionIds()[0] });
    client.socket.close();
    await client.closed;
  });

  it("hands messages to $default when there is one", async () => {
    const bodies: string[] = [];
    const { gateway: gw } = await gateway({
      routes: {
        $default: async (event) => {
          bodies.push(event.body ?? "");
          return { statusCode: 200 };
        },
      },
    });
    const client = await open(`${gw.url}?token=good`);
    client.socket.send('{"action":"ping"}');
    await waitUntil("the message at $default", async () => bodies.length === 1, 5_000);
    expect(bodies).toEqual(['{"action":"ping"}']);
    expect(client.messages).toEqual([]);
    client.socket.close();
    await client.closed;
  });

  it("closes an idle connection (Going away) and runs $disconnect", async () => {
    const { gateway: gw, seen } = await gateway({ idleTimeoutMs: 300 });
    const client = await open(`${gw.url}?token=good`);
    expect(await client.closed).toBe(1001);
    await waitUntil("$disconnect", async () => seen.some((s) => s.route === "$disconnect"), 5_000);
  });
});
