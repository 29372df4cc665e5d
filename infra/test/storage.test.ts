import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_TABLE, RATE_LIMITS_TABLE, TODOS_TABLE } from "../../packages/core/src/keys";
import { stack } from "./support/stack";

const STAGES = ["dev", "staging", "production"] as const;
/** The tables whose data is kept: restorable (PITR) and protected on production. */
const KEPT = ["Todos", "Idempotency"] as const;
/** The table of an `sst.aws.Dynamo` component (the Connections table of infra/realtime.ts is tested there). */
const table = (name: (typeof STAGES)[number], component: string) => stack(name).table(component);

describe("infra/storage.ts", () => {
  it.each(STAGES)("creates exactly the three tables, and realtime.ts its connections table (%s)", (name) => {
    const tables = stack(name).ofType("aws:dynamodb/table:Table");
    expect(tables.map((t) => stack(name).componentOf(t)?.name).sort()).toEqual(["Connections", "Idempotency", "RateLimits", "Todos"]);
  });

  it("keys Todos by userId / todoId as core says, with TTL on `expiresAt` for sync-log entries", () => {
    const todos = table("dev", "Todos");
    expect(todos.inputs).toMatchObject({ hashKey: "userId", rangeKey: TODOS_TABLE.sortKey });
    expect(todos.inputs.rangeKey).toBe("todoId");
    expect(todos.inputs.attributes).toEqual([
      { name: "userId", type: "S" },
      { name: "todoId", type: "S" },
    ]);
    expect(todos.inputs.ttl).toEqual({ attributeName: TODOS_TABLE.ttlAttribute, enabled: true });
    expect(TODOS_TABLE.ttlAttribute).toBe("expiresAt");
  });

  it("keys Idempotency by id and expires its records through TTL on `expiration`", () => {
    const idempotency = table("dev", "Idempotency");
    expect(idempotency.inputs.rangeKey).toBeUndefined();
    expect(idempotency.inputs.attributes).toEqual([{ name: "id", type: "S" }]);
    expect(idempotency.inputs.ttl).toEqual({ attributeName: IDEMPOTENCY_TABLE.ttlAttribute, enabled: true });
    expect(IDEMPOTENCY_TABLE.ttlAttribute).toBe("expiration");
  });

  it("keys RateLimits by id and expires its counters through TTL on `expiresAt`, without a stream", () => {
    const rateLimits = table("dev", "RateLimits");
    expect(rateLimits.inputs.rangeKey).toBeUndefined();
    expect(rateLimits.inputs.attributes).toEqual([{ name: RATE_LIMITS_TABLE.partitionKey, type: "S" }]);
    expect(rateLimits.inputs.ttl).toEqual({ attributeName: RATE_LIMITS_TABLE.ttlAttribute, enabled: true });
    expect(rateLimits.inputs.streamEnabled ?? false).toBe(false);
  });

  it.each(STAGES)("bills RateLimits on demand, encrypted, with nothing to restore or protect (%s)", (name) => {
    const rateLimits = table(name, "RateLimits");
    expect(rateLimits.inputs).toMatchObject({ billingMode: "PAY_PER_REQUEST", serverSideEncryption: { enabled: true } });
    expect(rateLimits.inputs.pointInTimeRecovery?.enabled ?? false).toBe(false);
    expect(rateLimits.protect).toBe(false);
  });

  it.each(STAGES)("bills on demand, with point-in-time recovery and KMS encryption (%s)", (name) => {
    for (const hashKey of KEPT) {
      expect(table(name, hashKey).inputs, hashKey).toMatchObject({
        billingMode: "PAY_PER_REQUEST",
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
      });
    }
  });

  it("turns deletion protection on for production only", () => {
    for (const hashKey of KEPT) {
      expect(table("production", hashKey).inputs.deletionProtectionEnabled, hashKey).toBe(true);
      expect(table("dev", hashKey).inputs.deletionProtectionEnabled ?? false, hashKey).toBe(false);
      expect(table("staging", hashKey).inputs.deletionProtectionEnabled ?? false, hashKey).toBe(false);
    }
  });

  it("protects production's tables from replacement and deletion by a deploy", () => {
    for (const hashKey of KEPT) {
      expect(table("production", hashKey).protect, hashKey).toBe(true);
      expect(table("staging", hashKey).protect, hashKey).toBe(false);
    }
  });
});
