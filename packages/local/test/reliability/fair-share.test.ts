/**
 * Fair share per user, through the offline stack at the deployed limits (the stage's route
 * throttle and the per-user limit of the capacity model): while one user floods the API as fast as
 * it answers, that user gets 429 TOO_MANY_REQUESTS past their share, and another user's requests
 * all succeed. Before the per-user limit, the second user got 1 of 30 answered (issue 17).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_RATE_LIMIT } from "../../../../infra/limits.js";
import { errorCode, expectSafeError, inPool, sleep, startHarness, tally, type ApiResponse, type Harness, type User } from "./support.js";

/** Bounded: well past what one user may send in two windows, small enough for a loopback run. */
const FLOOD = 3 * USER_RATE_LIMIT.requests;
const FLOOD_CONCURRENCY = 16;
const OTHER_USER_REQUESTS = 30;

let h: Harness;
let flooder: User;
let bystander: User;

beforeAll(async () => {
  h = await startHarness({
    throttle: undefined,
    handlerEnvironment: {
      USER_RATE_LIMIT_REQUESTS: String(USER_RATE_LIMIT.requests),
      USER_RATE_LIMIT_WINDOW_SECONDS: String(USER_RATE_LIMIT.windowSeconds),
    },
  });
  [flooder, bystander] = await Promise.all([h.signUp("flooder"), h.signUp("bystander")]);
});

afterAll(async () => {
  await h?.stop();
});

describe(`fair share: ${USER_RATE_LIMIT.requests} requests per ${USER_RATE_LIMIT.windowSeconds} s per user`, () => {
  it("one user's flood is cut at their share with 429 and Retry-After; another user's requests all succeed", async () => {
    let flooding = true;
    const flood = inPool(FLOOD, FLOOD_CONCURRENCY, () => h.call(flooder.accessToken, "GET", "/lists")).finally(() => {
      flooding = false;
    });
    const others: { response: ApiResponse; duringFlood: boolean }[] = [];
    const bystanderRuns = (async () => {
      // One at a time, as a person's client sends them.
      for (let i = 0; i < OTHER_USER_REQUESTS; i++) {
        const response = await h.call(bystander.accessToken, "GET", "/lists");
        others.push({ response, duringFlood: flooding });
      }
    })();
    const [flooded] = await Promise.all([flood, bystanderRuns]);

    const statuses = tally(flooded.map((response) => response.status));
    // A fixed window lets at most one share through on each side of a window boundary.
    expect(statuses["200"] ?? 0, JSON.stringify(statuses)).toBeGreaterThanOrEqual(USER_RATE_LIMIT.requests);
    expect(statuses["200"] ?? 0, JSON.stringify(statuses)).toBeLessThanOrEqual(2 * USER_RATE_LIMIT.requests);
    expect(statuses["200"]! + (statuses["429"] ?? 0), `only 200 and 429: ${JSON.stringify(statuses)}`).toBe(FLOOD);
    for (const response of flooded.filter((r) => r.status === 429)) {
      expectSafeError(response, [flooder.accessToken]);
      expect(errorCode(response)).toBe("TOO_MANY_REQUESTS");
      const retryAfter = Number(response.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(USER_RATE_LIMIT.windowSeconds);
    }

    expect(tally(others.map(({ response }) => response.status)), "the other user's requests").toEqual({ "200": OTHER_USER_REQUESTS });
    const duringFlood = others.filter((other) => other.duringFlood).length;
    expect(duringFlood, "the other user's requests were answered while the flood went on").toBeGreaterThanOrEqual(5);
  });

  it("after Retry-After the flooder is served again", async () => {
    let response = await h.call(flooder.accessToken, "GET", "/lists");
    for (let waits = 0; response.status === 429 && waits < 3; waits++) {
      await sleep(Number(response.headers.get("retry-after")) * 1000);
      response = await h.call(flooder.accessToken, "GET", "/lists");
    }
    expect(response.status, response.text).toBe(200);
  });
});
