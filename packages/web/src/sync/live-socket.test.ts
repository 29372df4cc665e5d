/**
 * The SPA's live socket against the offline stack's WebSocket gateway (real sockets on loopback,
 * AWS's own management client for pokes). The gateway's authorizer here accepts the tokens this
 * test hands out, so that refusal, expiry and sign-out can be staged. The socket class is `ws`'s,
 * which speaks the browser's WebSocket interface (msw intercepts the global one).
 */
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { startWebSocketGateway, type WebSocketGateway } from "@tasks/local/ws-gateway/ws-gateway";
import { http, passthrough } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { server } from "../test-support/msw-server";
import { parsePoke, reconnectDelay, startLiveSocket, type LiveSocket, type LiveSocketOptions } from "./live-socket";

// The component tests' msw refuses unknown requests; these go to a real server on loopback.
beforeEach(() => server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough())));

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A gateway that accepts `valid-*` tokens, remembering each token it saw and each ping. */
async function gateway() {
  const tokens: string[] = [];
  const pings: string[] = [];
  const gw: WebSocketGateway = await startWebSocketGateway({
    log: () => undefined,
    authorizer: {
      identitySourceQuery: ["token"],
      handler: async (event) => {
        const token = event.queryStringParameters?.token ?? "";
        tokens.push(token);
        if (!token.startsWith("valid-")) throw new Error("Unauthorized");
        return {
          principalId: "u",
          policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn }] },
          context: { userId: "u", expiresAt: 4_000_000_000 },
        };
      },
    },
    routes: {
      $default: async (event) => {
        pings.push(event.body ?? "");
        return { statusCode: 200 };
      },
    },
  });
  stops.push(() => gw.stop());
  const management = new ApiGatewayManagementApiClient({
    endpoint: gw.managementEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const poke = (cursor: string) =>
    Promise.all(gw.connectionIds().map((ConnectionId) => management.send(new PostToConnectionCommand({ ConnectionId, Data: JSON.stringify({ type: "sync", cursor }) }))));
  return { gw, tokens, pings, management, poke };
}

function live(options: Partial<LiveSocketOptions> & Pick<LiveSocketOptions, "url" | "getToken">) {
  const calls = { pokes: [] as string[], connected: 0, signedOut: 0 };
  const socket: LiveSocket = startLiveSocket({
    onPoke: (cursor) => calls.pokes.push(cursor),
    onConnected: () => calls.connected++,
    onSignedOut: () => calls.signedOut++,
    backoff: { baseMs: 20, maxMs: 100 },
    WebSocketImpl: NodeWebSocket as unknown as typeof WebSocket,
    ...options,
  });
  stops.push(() => socket.stop());
  return { socket, calls };
}

describe("the live socket", () => {
  it("connects with the token, says so, and turns each poke into onPoke", async () => {
    const { gw, tokens, poke } = await gateway();
    const { calls } = live({ url: gw.url, getToken: async () => "valid-1" });
    await vi.waitFor(() => expect(calls.connected).toBe(1));
    expect(tokens).toEqual(["valid-1"]);
    await poke("c-1");
    await poke("c-2");
    await vi.waitFor(() => expect(calls.pokes).toEqual(["c-1", "c-2"]));
  });

  it("after a refused handshake asks for a refreshed token, and connects with it", async () => {
    const { gw, tokens } = await gateway();
    const asked: boolean[] = [];
    const { calls } = live({
      url: gw.url,
      getToken: async ({ forceRefresh }) => {
        asked.push(forceRefresh);
        return forceRefresh ? "valid-refreshed" : "expired";
      },
    });
    await vi.waitFor(() => expect(calls.connected).toBe(1));
    expect(tokens).toEqual(["expired", "valid-refreshed"]);
    expect(asked).toEqual([false, true]);
  });

  it("reconnects with a fresh token when the server drops the connection, and reports the reconnect", async () => {
    const { gw, tokens, management } = await gateway();
    let n = 0;
    const { calls } = live({ url: gw.url, getToken: async () => `valid-${++n}` });
    await vi.waitFor(() => expect(calls.connected).toBe(1));
    await management.send(new DeleteConnectionCommand({ ConnectionId: gw.connectionIds()[0]! }));
    await vi.waitFor(() => expect(calls.connected).toBe(2));
    expect(tokens).toEqual(["valid-1", "valid-2"]);
    expect(gw.connectionIds()).toHaveLength(1);
  });

  it("calls onSignedOut and stops when no token can be had", async () => {
    const { gw, tokens } = await gateway();
    const { calls } = live({
      url: gw.url,
      getToken: async ({ forceRefresh }) => {
        if (forceRefresh) throw new Error("NotAuthorizedException: Refresh Token has been revoked");
        return "stale";
      },
    });
    await vi.waitFor(() => expect(calls.signedOut).toBe(1));
    expect(tokens).toEqual(["stale"]);
    expect(calls.connected).toBe(0);
  });

  it("pings to stay open, and sends nothing else", async () => {
    const { gw, pings } = await gateway();
    const { calls } = live({ url: gw.url, getToken: async () => "valid-1", pingEveryMs: 50 });
    await vi.waitFor(() => expect(pings.length).toBeGreaterThanOrEqual(2));
    expect(new Set(pings)).toEqual(new Set(['{"action":"ping"}']));
    expect(calls.connected).toBe(1);
  });

  it("opens one connection when the browser comes online while the token is still being fetched", async () => {
    const { gw, tokens } = await gateway();
    const waiting: ((token: string) => void)[] = [];
    const { calls } = live({ url: gw.url, getToken: () => new Promise<string>((resolve) => waiting.push(resolve)) });
    window.dispatchEvent(new Event("online"));
    for (const release of waiting) release("valid-1");
    await vi.waitFor(() => expect(calls.connected).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tokens).toEqual(["valid-1"]);
    expect(gw.connectionIds()).toHaveLength(1);
  });

  it("stops for good: no reconnect after stop()", async () => {
    const { gw, tokens } = await gateway();
    const { socket, calls } = live({ url: gw.url, getToken: async () => "valid-1" });
    await vi.waitFor(() => expect(calls.connected).toBe(1));
    socket.stop();
    await vi.waitFor(() => expect(gw.connectionIds()).toEqual([]));
    await new Promise((resolve) => setTimeout(resolve, 300)); // several backoff periods
    expect(tokens).toEqual(["valid-1"]);
  });
});

describe("reconnectDelay", () => {
  it("draws from a window that doubles per attempt up to the cap (full jitter)", () => {
    const backoff = { baseMs: 1_000, maxMs: 30_000 };
    expect([0, 1, 2, 5, 10].map((attempt) => reconnectDelay(attempt, backoff, () => 0.999_999))).toEqual([999, 1_999, 3_999, 29_999, 29_999]);
    expect(reconnectDelay(3, backoff, () => 0)).toBe(0);
  });
});

describe("parsePoke", () => {
  it("takes only the server's one message kind", () => {
    expect(parsePoke('{"type":"sync","cursor":"abc"}')).toBe("abc");
    expect(parsePoke('{"type":"other","cursor":"abc"}')).toBeUndefined();
    expect(parsePoke('{"type":"sync"}')).toBeUndefined();
    expect(parsePoke("not json")).toBeUndefined();
  });
});
