/**
 * The gateway on its own (no emulators): the events it builds, checked against the schemas AWS
 * publishes in Powertools' parser; how results map back to HTTP; API Gateway's own answers (404,
 * 401, 429, 500); CORS. Handlers are replaced by a recorder, the authorizer by a stub.
 */
import { request as httpRequest } from "node:http";
import { APIGatewayProxyEventV2Schema } from "@aws-lambda-powertools/parser/schemas/api-gatewayv2";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGateway, type Gateway } from "../src/gateway.js";
import { claimsAsStrings, type JwtAuthorizer } from "../src/jwt-authorizer.js";

const WEB_ORIGIN = "http://127.0.0.1:5173";
const CLAIMS = claimsAsStrings({
  sub: "5c4e5b1c-0000-4000-8000-000000000001",
  token_use: "access",
  client_id: "client-1",
  scope: "aws.cognito.signin.user.admin",
  auth_time: 1_700_000_000,
  iat: 1_700_000_000,
  exp: 1_700_003_600,
  "cognito:groups": ["admins", "staff"],
  iss: "http://127.0.0.1:9229/local_abc",
});
const stubAuthorizer: JwtAuthorizer = async (header) =>
  header === "Bearer good" ? { claims: CLAIMS, scopes: null } : undefined;

let gateway: Gateway;
let events: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
let nextResult: () => Promise<APIGatewayProxyResultV2 | undefined>;

beforeAll(async () => {
  gateway = await startGateway({
    authorizer: stubAuthorizer,
    allowOrigins: [WEB_ORIGIN],
    throttle: { rateLimit: 1_000, burstLimit: 1_000 },
    log: () => undefined,
    loadHandler: async () => async (event) => {
      events.push(event);
      return nextResult();
    },
  });
});
afterAll(() => gateway?.stop());
beforeEach(() => {
  events = [];
  nextResult = async () => ({ statusCode: 200, body: "{}" });
});

function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization")) headers.set("authorization", "Bearer good");
  return fetch(`${gateway.url}${path}`, { ...init, headers });
}

function lastEvent(): APIGatewayProxyEventV2WithJWTAuthorizer {
  expect(events).toHaveLength(1);
  return events[0]!;
}

describe("events", () => {
  it("builds an API Gateway v2 event that AWS's schema accepts, with the JWT authorizer context", async () => {
    const response = await call("/todos/01J%2FX?limit=5&tag=a&tag=b&empty=", {
      method: "PATCH",
      headers: {
        "Content-Type": "application/json",
        "If-Match": "3",
        "User-Agent": "vitest",
        Cookie: "theme=dark; session=abc",
      },
      body: JSON.stringify({ title: "x" }),
    });
    expect(response.status).toBe(200);
    const event = lastEvent();
    const parsed = APIGatewayProxyEventV2Schema.parse(event);
    // Nothing outside the schema: the parse (which drops unknown keys) changes nothing.
    expect(parsed).toEqual(event);

    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "PATCH /todos/{id}",
      rawPath: "/todos/01J%2FX",
      rawQueryString: "limit=5&tag=a&tag=b&empty=",
      queryStringParameters: { limit: "5", tag: "a,b", empty: "" },
      pathParameters: { id: "01J/X" },
      cookies: ["theme=dark", "session=abc"],
      body: '{"title":"x"}',
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ "content-type": "application/json", "if-match": "3", "user-agent": "vitest" });
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);

    const context = event.requestContext;
    expect(context).toMatchObject({
      routeKey: "PATCH /todos/{id}",
      stage: "$default",
      domainName: "127.0.0.1",
      http: { method: "PATCH", path: "/todos/01J%2FX", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" },
    });
    expect(context.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(response.headers.get("apigw-requestid")).toBe(context.requestId);
    expect(context.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(context.timeEpoch - Date.now())).toBeLessThan(5_000);
    // Claims arrive as strings, exactly as API Gateway passes them; scopes null (no route scopes).
    expect(context.authorizer.jwt.claims).toMatchObject({
      sub: "5c4e5b1c-0000-4000-8000-000000000001",
      token_use: "access",
      exp: "1700003600",
      "cognito:groups": "[admins staff]",
    });
    expect(Object.values(context.authorizer.jwt.claims).every((value) => typeof value === "string")).toBe(true);
    expect(context.authorizer.jwt.scopes).toBeNull();
  });

  it("leaves out what a plain request does not have, and joins repeated headers with commas", async () => {
    // fetch would merge the repeated header itself; node:http sends it twice.
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(`${gateway.url}/todos`, { headers: { authorization: "Bearer good" } }, (response) => {
        response.resume().on("end", resolve);
      });
      request.setHeader("x-trace", ["one", "two"]);
      request.on("error", reject).end();
    });
    const event = lastEvent();
    expect(APIGatewayProxyEventV2Schema.parse(event)).toEqual(event);
    expect(event.rawQueryString).toBe("");
    expect(event).not.toHaveProperty("queryStringParameters");
    expect(event).not.toHaveProperty("pathParameters");
    expect(event).not.toHaveProperty("cookies");
    expect(event).not.toHaveProperty("body");
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers["x-trace"]).toBe("one,two");
  });

  it("passes parameter and header names such as __proto__ or toString through as plain names", async () => {
    await call("/todos?__proto__=x&toString=1&constructor=a&constructor=b", { headers: { constructor: "c" } });
    const event = lastEvent();
    expect(Object.getPrototypeOf(event.queryStringParameters)).toBe(Object.prototype);
    expect(Object.entries(event.queryStringParameters!)).toEqual([
      ["__proto__", "x"],
      ["toString", "1"],
      ["constructor", "a,b"],
    ]);
    expect(Object.getOwnPropertyDescriptor(event.headers, "constructor")?.value).toBe("c");
  });

  it("base64-encodes bodies that are not text", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await call("/todos", { method: "POST", headers: { "content-type": "application/octet-stream" }, body: bytes });
    const event = lastEvent();
    expect(APIGatewayProxyEventV2Schema.parse(event)).toEqual(event);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, "base64")).toEqual(bytes);
  });
});

describe("results", () => {
  it("maps status, headers, cookies and base64 bodies back to HTTP", async () => {
    nextResult = async () => ({
      statusCode: 201,
      headers: { "Content-Type": "image/png", "X-Count": 3 as unknown as string },
      cookies: ["a=1; Path=/", "b=2; HttpOnly"],
      body: Buffer.from([137, 80, 78, 71]).toString("base64"),
      isBase64Encoded: true,
    });
    const response = await call("/todos", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-count")).toBe("3");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([137, 80, 78, 71]));
    expect(response.headers.get("content-length")).toBe("4");
    expect(response.headers.get("server-timing")).toMatch(/^gateway;dur=\d+\.\d{3}$/);
  });

  it("treats a result without statusCode as a 200 JSON body", async () => {
    nextResult = async () => ({ hello: "world" }) as unknown as APIGatewayProxyResultV2;
    const response = await call("/todos");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ hello: "world" });
  });

  it("answers 500 like API Gateway when the handler throws", async () => {
    nextResult = async () => {
      throw new Error("boom");
    };
    const response = await call("/todos");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Internal Server Error" });
  });
});

describe("API Gateway's own answers", () => {
  it("404 for an unknown route or method, before any authorization", async () => {
    for (const [method, path] of [
      ["GET", "/nope"],
      ["PUT", "/todos"],
      ["GET", "/todos/"],
    ] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Not Found" });
    }
    expect(events).toHaveLength(0);
  });

  it("401 without a valid token; the handler is not invoked", async () => {
    for (const authorization of [undefined, "Bearer bad"]) {
      const response = await fetch(`${gateway.url}/todos`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: "Unauthorized" });
    }
    expect(events).toHaveLength(0);
  });
});

describe("CORS", () => {
  it("answers a preflight from the web origin without a token", async () => {
    const response = await fetch(`${gateway.url}/todos/01ABC`, {
      method: "OPTIONS",
      headers: {
        origin: WEB_ORIGIN,
        "access-control-request-method": "PATCH",
        "access-control-request-headers": "authorization,content-type,if-match",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET,POST,PATCH,DELETE");
    expect(response.headers.get("access-control-allow-headers")).toBe("authorization,content-type,if-match,idempotency-key");
    expect(response.headers.get("access-control-max-age")).toBe("3600");
    expect(events).toHaveLength(0);
  });

  it("names no origin for other sites", async () => {
    const response = await fetch(`${gateway.url}/todos`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const actual = await call("/todos", { headers: { origin: "https://evil.example" } });
    expect(actual.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("adds the CORS headers to actual responses for the web origin, errors included", async () => {
    const ok = await call("/todos", { headers: { origin: WEB_ORIGIN } });
    expect(ok.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(ok.headers.get("access-control-expose-headers")).toBe("location,retry-after");
    const unauthorized = await fetch(`${gateway.url}/todos`, { headers: { origin: WEB_ORIGIN } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
  });
});

describe("throttling (the stage's default route settings per route, and the account's bucket)", () => {
  /** The buckets refill only when the test moves this clock: no race with the machine's load. */
  let now = 0;
  const clock = () => now;

  async function withThrottledGateway(
    settings: { throttle: { rateLimit: number; burstLimit: number }; accountThrottle?: { rateLimit: number; burstLimit: number } },
    use: (url: string) => Promise<void>,
  ) {
    now = 0;
    const throttled = await startGateway({
      authorizer: stubAuthorizer,
      allowOrigins: [WEB_ORIGIN],
      ...settings,
      clock,
      log: () => undefined,
      loadHandler: async () => async () => ({ statusCode: 200, body: "{}" }),
    });
    try {
      await use(throttled.url);
    } finally {
      await throttled.stop();
    }
  }

  const send = (url: string, method = "GET", path = "/todos") =>
    fetch(`${url}${path}`, { method, headers: { authorization: "Bearer good" } });

  async function statusesOf(count: number, request: () => Promise<Response>): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) statuses.push((await request()).status);
    return statuses;
  }

  it("lets a route's burst through, then answers 429 with Retry-After until its bucket refills", async () => {
    await withThrottledGateway({ throttle: { rateLimit: 1, burstLimit: 5 } }, async (url) => {
      expect(await statusesOf(5, () => send(url))).toEqual([200, 200, 200, 200, 200]);
      const limited = await send(url);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({ message: "Too Many Requests" });
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBe(1);
      expect((await send(url)).status).toBe(429);
      now += retryAfter * 1_000;
      expect(await statusesOf(2, () => send(url))).toEqual([200, 429]);
    });
  });

  it("throttles each route on its own: an exhausted route leaves the others their bucket", async () => {
    await withThrottledGateway({ throttle: { rateLimit: 1, burstLimit: 2 } }, async (url) => {
      expect(await statusesOf(3, () => send(url, "GET", "/todos"))).toEqual([200, 200, 429]);
      expect(await statusesOf(3, () => send(url, "POST", "/todos"))).toEqual([200, 200, 429]);
      // The same route key whatever the id: one bucket for GET /todos/{id}.
      expect([(await send(url, "GET", "/todos/a")).status, (await send(url, "GET", "/todos/b")).status]).toEqual([200, 200]);
      expect((await send(url, "GET", "/todos/c")).status).toBe(429);
    });
  });

  it("applies the account's bucket across routes, unmatched paths and preflights included", async () => {
    await withThrottledGateway(
      { throttle: { rateLimit: 100, burstLimit: 100 }, accountThrottle: { rateLimit: 1, burstLimit: 3 } },
      async (url) => {
        expect((await send(url, "GET", "/todos")).status).toBe(200);
        expect((await send(url, "GET", "/nope")).status).toBe(404);
        const preflight = await fetch(`${url}/todos`, {
          method: "OPTIONS",
          headers: { origin: WEB_ORIGIN, "access-control-request-method": "POST" },
        });
        expect(preflight.status).toBe(204);
        expect((await send(url, "POST", "/todos")).status).toBe(429);
        expect((await send(url, "GET", "/nope")).status).toBe(429);
        now += 1_000;
        expect((await send(url, "POST", "/todos")).status).toBe(200);
      },
    );
  });
});
