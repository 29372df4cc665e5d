/**
 * Export and closing of an account (account.ts) on DynamoDB Local: the export holds every live
 * list and task; closing a user with 10 000 tasks (and lists, memberships, the counter, sync-log
 * entries, connections) leaves nothing of them, marks the account closed first and deletes the
 * identity last, resumes after a deadline and after a crash, and leaves another user untouched.
 * The identity store is a recorder (Cognito is the offline stack's test: packages/local/test/account.test.ts).
 */
import { randomUUID } from "node:crypto";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTables } from "../../local/test-support/tables.js";
import {
  AccountCloser,
  batchWriteAll,
  ConnectionRepository,
  counterKey,
  createDocumentClient,
  exportAccount,
  ListRepository,
  membershipKey,
  newTodoId,
  OutOfTimeError,
  syncLogKey,
  newLogEntryId,
  TodoRepository,
  UserRateLimiter,
  type IdentityStore,
} from "../src/index.js";

let tables: Awaited<ReturnType<typeof createTestTables>>;
let db: ReturnType<typeof createDocumentClient>;
let todos: TodoRepository;
let lists: ListRepository;
let connections: ConnectionRepository;
let limiter: UserRateLimiter;

beforeAll(async () => {
  tables = await createTestTables();
  db = createDocumentClient({ endpoint: tables.endpoint });
  todos = new TodoRepository(db, tables.todos);
  lists = new ListRepository(db, tables.todos);
  connections = new ConnectionRepository(db, tables.connections);
  limiter = new UserRateLimiter(db, tables.rateLimits, { requests: 100, windowSeconds: 10 });
});
afterAll(async () => {
  db?.destroy();
  await tables?.drop();
});

const freshUser = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

async function partitionSize(userId: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tables.todos,
        KeyConditionExpression: "userId = :u",
        ExpressionAttributeValues: { ":u": userId },
        Select: "COUNT",
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/** `tasks` tasks in the stored layout (keys.ts), a fifth of them in a list of their own, plus the rest of a partition. */
async function seedAccount(userId: string, tasks: number): Promise<number> {
  const work = await lists.create(userId, { name: "Work" });
  const now = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < tasks; i++) {
    const todoId = newTodoId(new Date(Date.now() + i));
    const inWork = i % 5 === 0;
    items.push({ userId, todoId, title: `task ${i}`, completed: false, order: i, createdAt: now, updatedAt: now, version: 1, ...(inWork ? { listId: work.id } : {}) });
    if (inWork) items.push({ ...membershipKey(userId, work.id, todoId) });
  }
  for (let i = 0; i < 200; i++) items.push({ ...syncLogKey(userId, newLogEntryId(new Date(Date.now() + i))), expiresAt: 2_000_000_000 });
  items.push({ ...counterKey(userId), todoCount: tasks, listCount: 2 });
  await batchWriteAll(db, tables.todos, items.map((Item) => ({ PutRequest: { Item } })));
  for (let i = 0; i < 3; i++) {
    await connections.add({ userId, connectionId: `conn-${userId}-${i}`, expiresAt: Math.floor(Date.now() / 1000) + 3600, connectedAt: now });
  }
  return partitionSize(userId);
}

/** Records each deletion, checking the user's data is already gone when it comes; fails `failures` times first. */
function recordingIdentity(failures = 0) {
  const deleted: string[] = [];
  const checks: { partition: number; connections: number }[] = [];
  let failuresLeft = failures;
  const store: IdentityStore & { deleted: string[]; checks: typeof checks; userId?: string } = {
    deleted,
    checks,
    async deleteUser(username) {
      checks.push({ partition: await partitionSize(store.userId!), connections: (await connections.live(store.userId!)).length });
      if (failuresLeft-- > 0) throw new Error("the process died here");
      deleted.push(username);
    },
  };
  return store;
}

function closer(identity: IdentityStore, inFlightMs = 10_000) {
  return new AccountCloser(
    { db, todosTable: tables.todos, connections, limiter, identity },
    { tokenLifetimeSeconds: 3600, inFlightMs },
  );
}

describe("exportAccount", () => {
  it("holds every live list and every task as the API shows them, and nothing of a list being deleted", async () => {
    const user = freshUser("export");
    const work = await lists.create(user, { name: "Work" });
    const doomed = await lists.create(user, { name: "Doomed" });
    const kept = [await todos.create(user, { title: "default" }), await todos.create(user, { title: "work", listId: work.id, notes: "n", due: "2026-12-31" })];
    await todos.create(user, { title: "gone", listId: doomed.id });
    expect(await lists.remove(user, doomed.id, { outOfTime: () => true })).toEqual({ purged: false }); // tombstoned, purge pending
    const exported = await exportAccount(todos, lists, user);
    expect(exported.lists.map((list) => list.id).sort()).toEqual(["default", work.id].sort());
    expect(exported.todos).toEqual(kept);
    expect(Date.parse(exported.exportedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await exportAccount(todos, lists, freshUser("nobody"))).todos).toEqual([]);
  });
});

describe("AccountCloser", () => {
  it("closes an account of 10 000 tasks: resumes after its deadline and after a crash, deletes the identity last, spares others", async () => {
    const user = freshUser("big");
    const bystander = freshUser("bystander");
    const seeded = await seedAccount(user, 10_000);
    // Tasks, memberships, the seeded log entries, the counter, the list and the entry logging its creation.
    expect(seeded).toBe(10_000 + 2_000 + 200 + 1 + 1 + 1);
    await todos.create(bystander, { title: "mine" });
    await connections.add({ userId: bystander, connectionId: "theirs", expiresAt: Math.floor(Date.now() / 1000) + 3600, connectedAt: new Date().toISOString() });
    const bystanderItems = await partitionSize(bystander);

    const identity = Object.assign(recordingIdentity(1), { userId: user });
    const started = performance.now();

    // 1. Cut short by its deadline: nothing of the identity yet, the account already closed.
    let sweeps = 0;
    const first = await closer(identity)
      .close(user, "big-username", { outOfTime: () => ++sweeps > 5 })
      .catch((error: unknown) => error);
    expect(first).toBeInstanceOf(OutOfTimeError);
    const { closedAt } = await limiter.consume(user);
    expect(closedAt).toEqual(expect.any(String));
    expect(await partitionSize(user)).toBeLessThan(seeded);
    expect(identity.checks).toEqual([]);

    // 2. The retry deletes the rest and dies just before the identity is deleted.
    await expect(closer(identity).close(user, "big-username", { closedAt: closedAt! })).rejects.toThrow("the process died here");
    // 3. The next retry finishes.
    await closer(identity).close(user, "big-username", { closedAt: closedAt! });
    const seconds = (performance.now() - started) / 1000;
    console.log(`closed an account of ${seeded} items (10 000 tasks) in ${seconds.toFixed(1)} s on DynamoDB Local`);

    expect(identity.deleted).toEqual(["big-username"]);
    expect(identity.checks.every((check) => check.partition === 0 && check.connections === 0), JSON.stringify(identity.checks)).toBe(true);
    expect(await partitionSize(user)).toBe(0);
    expect(await connections.live(user)).toEqual([]);
    expect((await limiter.consume(user)).closedAt).toBe(closedAt);
    // The other user keeps everything.
    expect(await partitionSize(bystander)).toBe(bystanderItems);
    expect((await connections.live(bystander)).map((c) => c.connectionId)).toEqual(["theirs"]);
    expect(await limiter.consume(bystander)).toEqual({});
  }, 180_000);

  it("sweeps a write that lands after the close began, while requests that passed their checks may still write", async () => {
    const user = freshUser("late");
    await todos.create(user, { title: "before" });
    const identity = Object.assign(recordingIdentity(), { userId: user });
    const inFlightMs = 1_500;
    const late = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await todos.create(user, { title: "in flight" });
    })();
    const started = Date.now();
    await closer(identity, inFlightMs).close(user, user);
    await late;
    expect(Date.now() - started).toBeGreaterThanOrEqual(inFlightMs);
    expect(identity.checks).toEqual([{ partition: 0, connections: 0 }]);
    expect(await partitionSize(user)).toBe(0);
  });
});
