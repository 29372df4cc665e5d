import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { localDynamoClient } from "../../local/src/tables.js";
import "../../local/test-support/provided-context.js";
import { createDocumentClient } from "../src/dynamo-client.js";
import { RateLimitedError, rateLimitsTableDefinition, UserRateLimiter } from "../src/user-rate-limiter.js";

const tableName = `RateLimits-${randomUUID().slice(0, 8)}`;
const db = createDocumentClient({ endpoint: inject("dynamoEndpoint") });
// Tables are made with the plain client: its default timeouts suit a slow CreateTable on a busy machine.
const admin = localDynamoClient(inject("dynamoEndpoint"));
const limit = { requests: 5, windowSeconds: 10 };

beforeAll(async () => {
  await admin.send(new CreateTableCommand(rateLimitsTableDefinition(tableName)));
});
afterAll(async () => {
  await admin.send(new DeleteTableCommand({ TableName: tableName }));
  db.destroy();
  admin.destroy();
});

/** A limiter whose clock the test moves. */
function limiterAt(start: number) {
  const clock = { now: start };
  return { clock, limiter: new UserRateLimiter(db, tableName, limit, () => clock.now) };
}

async function outcome(promise: Promise<unknown>): Promise<"ok" | RateLimitedError> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
}

describe("UserRateLimiter", () => {
  it("lets a window's share through, refuses the next with the seconds left, and starts over in the next window", async () => {
    const user = `user-${randomUUID()}`;
    const { clock, limiter } = limiterAt(1_700_000_000_000); // a window boundary (multiple of 10 s)
    for (let i = 0; i < limit.requests; i++) expect(await outcome(limiter.consume(user))).toBe("ok");

    clock.now += 3_200;
    const refused = await outcome(limiter.consume(user));
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(7); // 6.8 s left, rounded up

    clock.now += 6_800;
    expect(await outcome(limiter.consume(user))).toBe("ok");
  });

  it("counts each user on their own", async () => {
    const { limiter } = limiterAt(1_700_000_100_000);
    const [busy, other] = [`user-${randomUUID()}`, `user-${randomUUID()}`];
    for (let i = 0; i < limit.requests; i++) await limiter.consume(busy);
    expect(await outcome(limiter.consume(busy))).toBeInstanceOf(RateLimitedError);
    expect(await outcome(limiter.consume(other))).toBe("ok");
  });

  it("is exact when requests race: of 30 at once, exactly the limit get through", async () => {
    const user = `user-${randomUUID()}`;
    const { limiter } = limiterAt(1_700_000_200_000);
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => outcome(limiter.consume(user))));
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(limit.requests);
  });

  it("marks each window's counter to expire by TTL a minute after the window ends", async () => {
    const user = `user-${randomUUID()}`;
    const { limiter } = limiterAt(1_700_000_300_000);
    await limiter.consume(user);
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { id: `${user}#1700000300` } }));
    expect(Item).toEqual({ id: `${user}#1700000300`, requests: 1, expiresAt: 1_700_000_310 + 60 });
  });

  it("answers a closed account's mark in every window until the given time, for that user only", async () => {
    const [closed, other] = [`user-${randomUUID()}`, `user-${randomUUID()}`];
    const { clock, limiter } = limiterAt(1_700_000_400_000);
    expect(await limiter.consume(closed)).toEqual({});
    const closedAt = new Date(clock.now);
    await limiter.markClosed(closed, closedAt, clock.now + 60_000);
    for (const later of [0, 9_000, 35_000, 60_000]) {
      clock.now = 1_700_000_400_000 + later;
      expect(await limiter.consume(closed), `${later} ms later`).toEqual({ closedAt: closedAt.toISOString() });
    }
    expect(await limiter.consume(other)).toEqual({});
    clock.now = 1_700_000_400_000 + 70_000; // past the marks
    expect(await limiter.consume(closed)).toEqual({});
    // Each mark expires with its window, like a count.
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { id: `${closed}#1700000460` } }));
    expect(Item).toMatchObject({ closedAt: closedAt.toISOString(), expiresAt: 1_700_000_470 + 60 });
  });
});
