import { describe, expect, it } from "vitest";
import { API_THROTTLE } from "../../../infra/limits.js";
import { ACCOUNT_THROTTLE, StageThrottle, TokenBucket } from "./token-bucket.js";

/** A clock that moves only when the test says so. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function takeMany(take: () => number, count: number): number[] {
  return Array.from({ length: count }, take);
}

describe("TokenBucket", () => {
  it("allows a burst, then refills at the steady rate", () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, clock.now);
    expect(takeMany(() => bucket.take(), 3)).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(1);
    clock.advance(500); // one token back at 2 per second
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBeGreaterThan(0);
    clock.advance(60_000); // never more than the burst
    expect(takeMany(() => bucket.take(), 4)).toEqual([0, 0, 0, 1]);
  });

  it("asks a slow-rate caller to wait several seconds", () => {
    const bucket = new TokenBucket({ rateLimit: 0.25, burstLimit: 1 }, () => 0);
    bucket.take();
    expect(bucket.take()).toBe(4);
  });

  it("with the deployed stage's numbers: 100 at once, then 50 per second", () => {
    const clock = manualClock();
    const bucket = new TokenBucket(API_THROTTLE, clock.now);
    const first = takeMany(() => bucket.take(), API_THROTTLE.burstLimit + 1);
    expect(first.filter((wait) => wait === 0)).toHaveLength(API_THROTTLE.burstLimit);
    expect(first.at(-1)).toBe(1);
    clock.advance(1_000);
    const second = takeMany(() => bucket.take(), API_THROTTLE.rateLimit + 1);
    expect(second.filter((wait) => wait === 0)).toHaveLength(API_THROTTLE.rateLimit);
  });
});

describe("StageThrottle (defaultRouteSettings per route, and the account's bucket)", () => {
  it("gives each route a bucket of its own: a burst on one route leaves the others theirs", () => {
    const clock = manualClock();
    const throttle = new StageThrottle({ defaultRoute: { rateLimit: 1, burstLimit: 3 } }, clock.now);
    expect(takeMany(() => throttle.take("GET /todos"), 4)).toEqual([0, 0, 0, 1]);
    expect(takeMany(() => throttle.take("POST /todos"), 4)).toEqual([0, 0, 0, 1]);
    expect(throttle.take("GET /todos/{id}")).toBe(0);
    clock.advance(1_000);
    expect(takeMany(() => throttle.take("GET /todos"), 2)).toEqual([0, 1]);
  });

  it("shares the account's bucket between routes and requests that match none", () => {
    const clock = manualClock();
    const throttle = new StageThrottle(
      { defaultRoute: { rateLimit: 100, burstLimit: 100 }, account: { rateLimit: 1, burstLimit: 4 } },
      clock.now,
    );
    expect([throttle.take("GET /todos"), throttle.take("POST /todos"), throttle.take(undefined), throttle.take("GET /todos")]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(throttle.take("DELETE /todos")).toBe(1);
    expect(throttle.take(undefined)).toBe(1);
    clock.advance(1_000);
    expect(throttle.take("DELETE /todos")).toBe(0);
  });

  it("a request refused by the account's bucket takes no token from its route's", () => {
    const clock = manualClock();
    const throttle = new StageThrottle(
      // The route's bucket barely refills: only a token left untouched can let the last request pass.
      { defaultRoute: { rateLimit: 0.001, burstLimit: 2 }, account: { rateLimit: 1, burstLimit: 1 } },
      clock.now,
    );
    expect(throttle.take("GET /todos")).toBe(0);
    expect(takeMany(() => throttle.take("GET /todos"), 3)).toEqual([1, 1, 1]);
    clock.advance(1_000); // the account's token is back; the route's second one was never taken

    expect(throttle.take("GET /todos")).toBe(0);
  });

  it("defaults to AWS's account quota: each route's bucket decides until the routes together drain the account's", () => {
    const clock = manualClock();
    const throttle = new StageThrottle({ defaultRoute: API_THROTTLE }, clock.now);
    expect(ACCOUNT_THROTTLE).toEqual({ rateLimit: 10_000, burstLimit: 5_000 });
    // The deployed route burst (2 300) fits twice into the account's burst, not three times.
    for (const route of ["GET /todos", "POST /todos"]) {
      const waits = takeMany(() => throttle.take(route), API_THROTTLE.burstLimit + 1);
      expect(waits.filter((wait) => wait === 0), route).toHaveLength(API_THROTTLE.burstLimit);
    }
    const left = ACCOUNT_THROTTLE.burstLimit - 2 * API_THROTTLE.burstLimit;
    const third = takeMany(() => throttle.take("GET /todos/{id}"), API_THROTTLE.burstLimit);
    expect(third.filter((wait) => wait === 0)).toHaveLength(Math.max(0, Math.min(API_THROTTLE.burstLimit, left)));
  });
});
