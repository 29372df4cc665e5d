/**
 * Abuse limits, on a stack with the deployed stage's throttling and a small per-user cap:
 * the cap answers 409 TOO_MANY_TODOS and stores nothing more (also under a race), deleting
 * frees a slot; what the handlers log at DEBUG never contains a token or a password; a burst
 * beyond the throttle gets 429 with Retry-After, never a 5xx.
 */
import { randomUUID } from "node:crypto";
import { TodoPage } from "@tasks/core/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_THROTTLE } from "../../../../infra/limits.js";
import { PASSWORD } from "../../test-support/cognito-users.js";
import { errorCode, expectSafeError, sleep, startHarness, tally, type Harness, type User } from "./support.js";

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
let user: User;

beforeAll(async () => {
  intercept(process.stdout, originalWrite.stdout);
  intercept(process.stderr, originalWrite.stderr);
  h = await startHarness({
    // The deployed stage's throttling (infra/limits.ts), not the lifted one of the other files.
    throttle: undefined,
    handlerEnvironment: {
      MAX_TODOS_PER_USER: String(CAP),
      POWERTOOLS_LOG_LEVEL: "DEBUG",
      // Even if someone switches on event logging, the wrapper must not log the request.
      POWERTOOLS_LOGGER_LOG_EVENT: "true",
    },
    log: (line) => captured.push(line),
  });
  user = await h.signUp("abuse");
});

afterAll(async () => {
  process.stdout.write = originalWrite.stdout;
  process.stderr.write = originalWrite.stderr;
  await h?.stop();
});

describe(`per-user cap (MAX_TODOS_PER_USER=${CAP})`, () => {
  it("the create past the cap is 409 TOO_MANY_TODOS and stores nothing; deleting frees a slot", async () => {
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
    // A session's worth of calls, errors included, each carrying the token.
    const [first] = await h.listAll(user);
    await h.call(user.accessToken, "GET", `/todos/${first!.id}`);
    await h.call(user.accessToken, "PATCH", `/todos/${first!.id}`, { body: { completed: true }, headers: { "if-match": "999" } });
    await h.call(user.accessToken, "POST", "/todos", { body: { title: "x", password: PASSWORD } });
    await h.call(user.accessToken, "POST", "/todos", { body: `{"title":"${PASSWORD}"`, headers: { "x-api-key": user.refreshToken } });
    await h.call(user.accessToken, "GET", "/todos?limit=abc");
    await h.call(undefined, "GET", "/todos", { authorization: `Bearer ${user.idToken}` });
    await h.call(undefined, "GET", "/todos", { authorization: `Bearer ${user.accessToken}x` });
    await h.call(user.accessToken, "DELETE", `/todos/${first!.id}`);
    await h.call(user.accessToken, "POST", "/todos", { body: { title: "keyed" }, headers: { "idempotency-key": randomUUID() } });

    const logs = captured.join("");
    // The capture works: the wrapper's structured "request" lines are there, with statuses.
    const requestLines = logs.split("\n").filter((line) => line.includes('"message":"request"'));
    expect(requestLines.length).toBeGreaterThanOrEqual(20);
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

describe("throttling (the deployed stage's token bucket)", () => {
  it(`a burst of ${API_THROTTLE.burstLimit * 3} requests: the bucket's worth succeed, the rest 429 with Retry-After, no 5xx`, async () => {
    await sleep((API_THROTTLE.burstLimit / API_THROTTLE.rateLimit) * 1000); // a full bucket
    const burst = API_THROTTLE.burstLimit * 3;
    const responses = await Promise.all(Array.from({ length: burst }, () => h.call(user.accessToken, "GET", "/todos?limit=1")));
    const statuses = tally(responses.map((r) => r.status));
    console.info(`throttle: ${burst} at once → ${JSON.stringify(statuses)}`);
    expect(Object.keys(statuses).sort()).toEqual(["200", "429"]);
    expect(statuses[200]).toBeGreaterThanOrEqual(API_THROTTLE.burstLimit);
    expect(statuses[429]).toBeGreaterThanOrEqual(burst / 3);
    for (const response of responses) {
      if (response.status === 200) {
        TodoPage.parse(response.body);
        continue;
      }
      expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      expect(response.body).toEqual({ message: "Too Many Requests" });
      expectSafeError(response, [user.accessToken]);
    }
    // The bucket refills at the steady rate: after Retry-After, requests get through again.
    const wait = Math.max(...responses.map((r) => Number(r.headers.get("retry-after") ?? 0)));
    await sleep(wait * 1000);
    expect((await h.call(user.accessToken, "GET", "/todos?limit=1")).status).toBe(200);
  });
});
