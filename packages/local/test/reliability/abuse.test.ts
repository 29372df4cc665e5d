/**
 * Abuse limits, on a stack with a small per-user cap: the cap answers 409 TOO_MANY_TODOS and
 * stores nothing more (also under a race), deleting frees a slot; what the handlers log at DEBUG
 * never contains a token or a password; a burst beyond the deployed stage's throttle gets 429
 * with Retry-After, never a 5xx (on a gateway of its own, whose buckets move on a manual clock).
 */
import { randomUUID } from "node:crypto";
import { TodoPage } from "@tasks/core/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "../../src/gateway.js";
import { createJwtAuthorizer } from "../../src/jwt-authorizer.js";
import { PASSWORD } from "../../test-support/cognito-users.js";
import { errorCode, expectSafeError, inPool, startHarness, tally, type ApiResponse, type Harness, type User } from "./support.js";

const CAP = 5;

/** Everything written to stdout/stderr in this process (the handlers' Powertools logs), and the stack's own lines. */
const captured: string[] = [];
const originalWrite = { stdout: process.stdout.write, stderr: process.stderr.write };

/** Records every write; the handlers' JSON log lines are kept out of the test run's output. */
function intercept(stream: NodeJS.WriteStream, original: typeof process.stdout.write): void {
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    captured.push(text);
    if (text.startsWith('{"level":')) return true;
    return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stream.write;
}

let h: Harness;

beforeAll(async () => {
  intercept(process.stdout, originalWrite.stdout);
  intercept(process.stderr, originalWrite.stderr);
  h = await startHarness({
    handlerEnvironment: {
      MAX_TODOS_PER_USER: String(CAP),
      POWERTOOLS_LOG_LEVEL: "DEBUG",
      // Even if someone switches on event logging, the wrapper must not log the request.
      POWERTOOLS_LOGGER_LOG_EVENT: "true",
    },
    log: (line) => captured.push(line),
  });
});

afterAll(async () => {
  process.stdout.write = originalWrite.stdout;
  process.stderr.write = originalWrite.stderr;
  await h?.stop();
});

describe(`per-user cap (MAX_TODOS_PER_USER=${CAP})`, () => {
  it("the create past the cap is 409 TOO_MANY_TODOS and stores nothing; deleting frees a slot", async () => {
    const user = await h.signUp("cap");
    const tasks = [];
    for (let i = 0; i < CAP; i++) tasks.push(await h.create(user, { title: `slot ${i}`, completed: i < 2 }));
    const over = await h.call(user.accessToken, "POST", "/todos", { body: { title: "one too many" } });
    expect(over.status).toBe(409);
    expect(errorCode(over)).toBe("TOO_MANY_TODOS");
    expectSafeError(over, [user.accessToken]);
    const keyed = await h.call(user.accessToken, "POST", "/todos", { body: { title: "keyed, too many" }, headers: { "idempotency-key": randomUUID() } });
    expect(keyed.status).toBe(409);
    expect(errorCode(keyed)).toBe("TOO_MANY_TODOS");
    expect((await h.listAll(user)).map((t) => t.id)).toEqual(tasks.map((t) => t.id));

    expect((await h.call(user.accessToken, "DELETE", `/todos/${tasks[4]!.id}`)).status).toBe(204);
    const fits = await h.create(user, { title: "fits again" });
    expect((await h.call(user.accessToken, "POST", "/todos", { body: { title: "full again" } })).status).toBe(409);

    // Clearing completed tasks frees their slots too.
    expect((await h.call(user.accessToken, "DELETE", "/todos?completed=true")).body).toEqual({ deleted: 2 });
    await h.create(user, { title: "after clearing 1" });
    await h.create(user, { title: "after clearing 2" });
    expect((await h.call(user.accessToken, "POST", "/todos", { body: { title: "full once more" } })).status).toBe(409);
    const left = await h.listAll(user);
    expect(left).toHaveLength(CAP);
    expect(left.map((t) => t.id)).toContain(fits.id);
  });

  it(`${CAP * 3} concurrent creates by a new user: exactly ${CAP} stored, the rest 409 TOO_MANY_TODOS`, async () => {
    const racer = await h.signUp("cap-racer");
    const responses = await Promise.all(
      Array.from({ length: CAP * 3 }, (_, i) => h.call(racer.accessToken, "POST", "/todos", { body: { title: `race ${i}` } })),
    );
    expect(tally(responses.map((r) => r.status))).toEqual({ 201: CAP, 409: CAP * 2 });
    for (const response of responses.filter((r) => r.status === 409)) expect(errorCode(response)).toBe("TOO_MANY_TODOS");
    expect(await h.listAll(racer)).toHaveLength(CAP);
  });
});

describe("logs", () => {
  it("contain the requests, but no access, ID or refresh token and no password", async () => {
    const user = await h.signUp("logs");
    const from = captured.length;
    // A session's worth of calls, errors included, each carrying the token; all but the one with
    // a garbled token reach a handler (the gateway lets an ID token through, the handler refuses it).
    const first = await h.create(user, { title: "logged" });
    await h.call(user.accessToken, "GET", `/todos/${first!.id}`);
    await h.call(user.accessToken, "PATCH", `/todos/${first!.id}`, { body: { completed: true }, headers: { "if-match": "999" } });
    await h.call(user.accessToken, "POST", "/todos", { body: { title: "x", password: PASSWORD } });
    await h.call(user.accessToken, "POST", "/todos", { body: `{"title":"${PASSWORD}"`, headers: { "x-api-key": user.refreshToken } });
    await h.call(user.accessToken, "GET", "/todos?limit=abc");
    await h.call(undefined, "GET", "/todos", { authorization: `Bearer ${user.idToken}` });
    await h.call(undefined, "GET", "/todos", { authorization: `Bearer ${user.accessToken}x` });
    await h.call(user.accessToken, "DELETE", `/todos/${first!.id}`);
    await h.call(user.accessToken, "POST", "/todos", { body: { title: "keyed" }, headers: { "idempotency-key": randomUUID() } });

    const logs = captured.slice(from).join("");
    // The capture works: the wrapper's structured "request" line of each of those calls is there.
    const requestLines = logs.split("\n").filter((line) => line.includes('"message":"request"'));
    expect(requestLines).toHaveLength(9);
    expect(logs).toContain('"status":401');
    expect(logs).toContain('"status":409');
    expect(logs).toContain('"status":400');
    for (const secret of [user.accessToken, user.idToken, user.refreshToken, PASSWORD]) {
      expect(logs).not.toContain(secret);
      for (const part of secret.split(".").filter((p) => p.length > 20)) expect(logs).not.toContain(part);
    }
    expect(logs).not.toMatch(/authorization/i);
  });
});

/**
 * The deployed numbers (infra/limits.ts: 2 300/s and a burst of 2 300 per route, from the capacity
 * model) would need about 7 000 requests per run; the buckets are the same code at any size, so this
 * runs them at 50/s and a burst of 100. That the stage gets the deployed numbers is infra/test's.
 */
const BUCKET = { rateLimit: 50, burstLimit: 100 };

describe("throttling (the stage's default route settings, on the offline gateway)", () => {
  it(`${BUCKET.burstLimit * 3} requests on one route before any refill: exactly the bucket's worth succeed, the rest 429 with Retry-After, no 5xx`, async () => {
    const user = await h.signUp("throttle");
    // A gateway of its own in front of the same handlers, with full buckets; its clock moves
    // only when the test moves it, so the bucket refills by exactly what the test says, however
    // loaded the machine is.
    let now = 0;
    const gateway = await startGateway({
      authorizer: createJwtAuthorizer({ issuer: h.stack.issuer, audiences: [h.stack.userPoolClientId] }),
      allowOrigins: [],
      throttle: BUCKET,
      clock: () => now,
      log: (line) => captured.push(line),
    });
    const send = async (path: string): Promise<ApiResponse> => {
      const response = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${user.accessToken}` } });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined, ms: 0 };
    };
    try {
      const burst = BUCKET.burstLimit * 3;
      // With the clock still, when the requests arrive does not matter to the buckets; a few at
      // a time keeps DynamoDB Local (which answers the ones let through) out of the result.
      const responses = await inPool(burst, 8, () => send("/todos?limit=1"));
      expect(tally(responses.map((r) => r.status))).toEqual({ 200: BUCKET.burstLimit, 429: burst - BUCKET.burstLimit });
      for (const response of responses) {
        if (response.status === 200) {
          TodoPage.parse(response.body);
          continue;
        }
        expect(response.headers.get("retry-after")).toBe("1");
        expect(response.body).toEqual({ message: "Too Many Requests" });
        expectSafeError(response, [user.accessToken]);
      }
      // Another route has a bucket of its own (the handler answers: 404 for a task that is not there).
      expect((await send("/todos/01ARZ3NDEKTSV4RRFFQ69G5FAV")).status).toBe(404);

      // After Retry-After the bucket has refilled at the steady rate: that many get through again.
      now += 1_000;
      const after = await inPool(BUCKET.rateLimit + 10, 8, () => send("/todos?limit=1"));
      expect(tally(after.map((r) => r.status))).toEqual({ 200: BUCKET.rateLimit, 429: 10 });
    } finally {
      await gateway.stop();
    }
  });
});
