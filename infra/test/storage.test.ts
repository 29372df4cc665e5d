import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_TABLE, TODOS_TABLE } from "../../packages/core/src/keys";
import { stack } from "./support/stack";

const STAGES = ["dev", "staging", "production"] as const;
/** The table of infra/storage.ts keyed by `hashKey` (the Connections table of infra/realtime.ts is tested there). */
const table = (name: (typeof STAGES)[number], hashKey: string) => {
  const found = stack(name).table(hashKey === IDEMPOTENCY_TABLE.partitionKey ? "Idempotency" : "Todos");
  expect(found.inputs.hashKey).toBe(hashKey);
  return found;
};

describe("infra/storage.ts", () => {
  it.each(STAGES)("creates exactly the two tables, and realtime.ts its connections table (%s)", (name) => {
    const keys = stack(name).ofType("aws:dynamodb/table:Table").map((t) => `${t.inputs.hashKey}/${t.inputs.rangeKey ?? ""}`);
    expect(keys.sort()).toEqual(["id/", "userId/connectionId", "userId/todoId"]);
  });

  it("keys Todos by userId / todoId as core says, with TTL on `expiresAt` for sync-log entries", () => {
    const todos = table("dev", TODOS_TABLE.partitionKey);
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
    const idempotency = table("dev", IDEMPOTENCY_TABLE.partitionKey);
    expect(idempotency.inputs.rangeKey).toBeUndefined();
    expect(idempotency.inputs.attributes).toEqual([{ name: "id", type: "S" }]);
    expect(idempotency.inputs.ttl).toEqual({ attributeName: IDEMPOTENCY_TABLE.ttlAttribute, enabled: true });
    expect(IDEMPOTENCY_TABLE.ttlAttribute).toBe("expiration");
  });

  it.each(STAGES)("bills on demand, with point-in-time recovery and KMS encryption (%s)", (name) => {
    for (const hashKey of ["userId", "id"]) {
      expect(table(name, hashKey).inputs, hashKey).toMatchObject({
        billingMode: "PAY_PER_REQUEST",
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
      });
    }
  });

  it("turns deletion protection on for production only", () => {
    for (const hashKey of ["userId", "id"]) {
      expect(table("production", hashKey).inputs.deletionProtectionEnabled, hashKey).toBe(true);
      expect(table("dev", hashKey).inputs.deletionProtectionEnabled ?? false, hashKey).toBe(false);
      expect(table("staging", hashKey).inputs.deletionProtectionEnabled ?? false, hashKey).toBe(false);
    }
  });

  it("protects production's tables from replacement and deletion by a deploy", () => {
    for (const hashKey of ["userId", "id"]) {
      expect(table("production", hashKey).protect, hashKey).toBe(true);
      expect(table("staging", hashKey).protect, hashKey).toBe(false);
    }
  });
});
