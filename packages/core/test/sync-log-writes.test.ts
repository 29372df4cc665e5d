/**
 * Every write logs what it changed, in the same transaction: one entry per write transaction,
 * naming exactly the tasks and lists it put, updated or deleted (deletes included, a list's purge
 * included), with a TTL after the retention. Read raw with a Scan, not through the reader.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { ensureTables, localDynamoClient } from "../../local/src/tables.js";
import { scanPartitions } from "../../local/test-support/raw-table.js";
import { useRepository } from "./repository-fixture.js";
import {
  LATE_COMMIT_BOUND_MS,
  ListRepository,
  logEntryIdOfKey,
  logEntryTime,
  SYNC_LOG_RETENTION_SECONDS,
  TODOS_TABLE,
} from "../src/index.js";

const fixture = useRepository();
const fresh = () => `user-${randomUUID().slice(0, 8)}`;

interface Entry {
  id: string;
  todos: string[];
  lists: string[];
  expiresAt: number;
}

/** The user's log entries, in order, from the raw table. */
async function logOf(user: string): Promise<Entry[]> {
  const raw = (await scanPartitions(fixture.tables.endpoint, fixture.tables.todos, [user])).get(user)!;
  return raw.logEntries.map((item) => ({
    id: logEntryIdOfKey(item.todoId as string),
    todos: [...((item.todos as Set<string> | undefined) ?? [])].sort(),
    lists: [...((item.lists as Set<string> | undefined) ?? [])].sort(),
    expiresAt: item[TODOS_TABLE.ttlAttribute] as number,
  }));
}

/** The entries `action` added. */
async function logged(user: string, action: () => Promise<unknown>): Promise<Entry[]> {
  const before = (await logOf(user)).length;
  await action();
  return (await logOf(user)).slice(before);
}

describe("the sync log, written with every change", () => {
  const lists = () => new ListRepository(fixture.db, fixture.tables.todos);

  it("one entry per task write: create, patch, move, delete (in the default list and another)", async () => {
    const user = fresh();
    const list = await lists().create(user, { name: "Work" });
    let id = "";
    expect(await logged(user, async () => (id = (await fixture.repo.create(user, { title: "a" })).id))).toMatchObject([{ todos: [id], lists: [] }]);
    expect(await logged(user, () => fixture.repo.patch(user, id, { title: "b" }))).toMatchObject([{ todos: [id], lists: [] }]);
    expect(await logged(user, () => fixture.repo.patch(user, id, { listId: list.id }))).toMatchObject([{ todos: [id], lists: [] }]);
    expect(await logged(user, () => fixture.repo.patch(user, id, { completed: true }))).toMatchObject([{ todos: [id] }]);
    expect(await logged(user, () => fixture.repo.remove(user, id))).toMatchObject([{ todos: [id], lists: [] }]);
    let other = "";
    expect(await logged(user, async () => (other = (await fixture.repo.create(user, { title: "c", listId: list.id })).id))).toMatchObject([
      { todos: [other] },
    ]);
  }, 30_000);

  it("a refused write logs nothing", async () => {
    const user = fresh();
    const { id } = await fixture.repo.create(user, { title: "a" });
    expect(await logged(user, () => fixture.repo.patch(user, id, { title: "b" }, { expectedVersion: 7 }).catch(() => undefined))).toEqual([]);
    expect(await logged(user, () => fixture.repo.create(user, { title: "x", listId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }).catch(() => undefined))).toEqual([]);
  });

  it("list writes: create, rename (the default list too), and a delete that logs the list and every task purged", async () => {
    const user = fresh();
    let listId = "";
    expect(await logged(user, async () => (listId = (await lists().create(user, { name: "Work" })).id))).toMatchObject([{ lists: [listId], todos: [] }]);
    expect(await logged(user, () => lists().patch(user, listId, { name: "Home" }))).toMatchObject([{ lists: [listId] }]);
    expect(await logged(user, () => lists().patch(user, "default", { name: "Inbox" }))).toMatchObject([{ lists: ["default"] }]);
    const tasks: string[] = [];
    for (let i = 0; i < 60; i++) tasks.push((await fixture.repo.create(user, { title: `t${i}`, listId })).id);
    const entries = await logged(user, () => lists().remove(user, listId));
    // The tombstone, two purge transactions (49 tasks each at most), the tombstone's removal.
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect(entries[0]).toMatchObject({ lists: [listId], todos: [] });
    expect(entries.at(-1)).toMatchObject({ lists: [listId], todos: [] });
    expect(entries.flatMap((e) => e.todos).sort()).toEqual([...tasks].sort());
  }, 60_000);

  it("bulk writes log every id, one entry per transaction (mark all, clear completed)", async () => {
    const user = fresh();
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) ids.push((await fixture.repo.create(user, { title: `t${i}` })).id);
    const marked = await logged(user, () => fixture.repo.completeAll(user, {}, true));
    expect(marked).toHaveLength(2);
    expect(marked.flatMap((e) => e.todos).sort()).toEqual([...ids].sort());
    const cleared = await logged(user, () => fixture.repo.removeCompleted(user));
    expect(cleared).toHaveLength(2);
    expect(cleared.flatMap((e) => e.todos).sort()).toEqual([...ids].sort());
  }, 60_000);

  it("entries sort by the time they were written, and expire after the retention", async () => {
    const user = fresh();
    const started = Date.now();
    for (let i = 0; i < 3; i++) await fixture.repo.create(user, { title: `t${i}` });
    const entries = await logOf(user);
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      const time = logEntryTime(entry.id);
      expect(time).toBeGreaterThanOrEqual(started - 5);
      expect(entry.expiresAt).toBe(Math.ceil((time + LATE_COMMIT_BOUND_MS) / 1000) + SYNC_LOG_RETENTION_SECONDS);
    }
  });
});

describe("the Todos table", () => {
  it("expires sync-log entries by TTL on expiresAt (the offline stack's table too, also one made before)", async () => {
    const client = localDynamoClient(fixture.tables.endpoint);
    try {
      const describe = () => client.send(new DescribeTimeToLiveCommand({ TableName: fixture.tables.todos }));
      expect((await describe()).TimeToLiveDescription).toMatchObject({ AttributeName: TODOS_TABLE.ttlAttribute, TimeToLiveStatus: "ENABLED" });
      await client.send(new UpdateTimeToLiveCommand({ TableName: fixture.tables.todos, TimeToLiveSpecification: { AttributeName: TODOS_TABLE.ttlAttribute, Enabled: false } }));
      await ensureTables(fixture.tables.endpoint, { todos: fixture.tables.todos, idempotency: fixture.tables.idempotency });
      expect((await describe()).TimeToLiveDescription).toMatchObject({ AttributeName: TODOS_TABLE.ttlAttribute, TimeToLiveStatus: "ENABLED" });
    } finally {
      client.destroy();
    }
  });
});
