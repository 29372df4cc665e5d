import { describe, expect, it } from "vitest";
import { IDEMPOTENCY_TABLE, TODOS_TABLE } from "../../packages/core/src/keys";
import { evaluateApp } from "./sst-fakes";

const production = () => evaluateApp("production", { env: { TASKS_DOMAIN: "tasks.example.com" } });

describe("infra/storage.ts", () => {
  it("declares exactly the two tables", async () => {
    const names = (await evaluateApp("dev")).of("sst.aws.Dynamo").map((t) => t.name);
    expect(names.sort()).toEqual(["Idempotency", "Todos"]);
  });

  it("keys Todos by userId / todoId as core says", async () => {
    const { args } = (await evaluateApp("dev")).one("sst.aws.Dynamo", "Todos");
    expect(args.primaryIndex).toEqual({ hashKey: TODOS_TABLE.partitionKey, rangeKey: TODOS_TABLE.sortKey });
    expect(args.primaryIndex).toEqual({ hashKey: "userId", rangeKey: "todoId" });
    expect(args.fields).toEqual({ userId: "string", todoId: "string" });
    expect(args.ttl).toBeUndefined();
  });

  it("keys Idempotency by id and expires records through TTL on `expiration`", async () => {
    const { args } = (await evaluateApp("dev")).one("sst.aws.Dynamo", "Idempotency");
    expect(args.primaryIndex).toEqual({ hashKey: IDEMPOTENCY_TABLE.partitionKey });
    expect(args.fields).toEqual({ id: "string" });
    expect(args.ttl).toBe("expiration");
  });

  it.each(["Todos", "Idempotency"])("turns on PITR and KMS encryption for %s on every stage", async (name) => {
    for (const env of [await evaluateApp("dev"), await production()]) {
      const table = env.one("sst.aws.Dynamo", name).args.transform.table;
      expect(table.pointInTimeRecovery).toEqual({ enabled: true });
      expect(table.serverSideEncryption).toEqual({ enabled: true });
    }
  });

  it.each(["Todos", "Idempotency"])("protects %s from deletion on production only", async (name) => {
    expect((await production()).one("sst.aws.Dynamo", name).args.deletionProtection).toBe(true);
    expect((await evaluateApp("dev")).one("sst.aws.Dynamo", name).args.deletionProtection).toBeUndefined();
    expect((await evaluateApp("staging")).one("sst.aws.Dynamo", name).args.deletionProtection).toBeUndefined();
  });
});
