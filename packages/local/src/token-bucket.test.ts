import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket.js";

describe("TokenBucket", () => {
  it("allows a burst, then refills at the steady rate", () => {
    let now = 0;
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(1);
    now += 500; // one token back at 2 per second
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBeGreaterThan(0);
    now += 60_000; // never more than the burst
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0, 1]);
  });

  it("asks a slow-rate caller to wait several seconds", () => {
    const bucket = new TokenBucket({ rateLimit: 0.25, burstLimit: 1 }, () => 0);
    bucket.take();
    expect(bucket.take()).toBe(4);
  });
});
