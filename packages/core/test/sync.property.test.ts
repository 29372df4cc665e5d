/**
 * Property: while two users' writers run mixed operations concurrently — creates, edits, moves,
 * deletes, mark all, clear completed, list creates, renames and deletes (some with their purge cut
 * short) — and a syncing client per user follows its cursor (with small pages, so that snapshots
 * and change pages both page), then after quiescence each client's replica equals its user's
 * server state: no missed change, no leaked change, no resurrection.
 *
 * The writers' transactions are held back a random while after their log entry's id is taken
 * (a middleware on their client, before the request goes out): that is a late commit. With a
 * late-commit bound above the delay the property holds; the second test breaks the bound on
 * purpose (0) and shows the property then fails.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SyncReplica } from "../../local/test-support/sync-replica.js";
import { useRepository } from "./repository-fixture.js";
import {
  createDynamoClient,
  documentClientFor,
  isSyncLogKey,
  ListRepository,
  logEntryIdOfKey,
  logEntryTime,
  SyncReader,
  TodoRepository,
  type List,
  type Todo,
} from "../src/index.js";

const fixture = useRepository();

/** How long a writer's transaction may be held after its entry id is taken. */
const MAX_COMMIT_DELAY_MS = 120;
/**
 * The bound the reader keeps in the first test: above the delay and DynamoDB Local's own latency
 * on a loaded machine, yet short enough that cursors move on while the writers run.
 */
const BOUND_MS = 2_000;

const operation = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("create" as const), inList: fc.boolean(), pick: fc.nat() }), weight: 7 },
  { arbitrary: fc.record({ kind: fc.constant("patch" as const), pick: fc.nat(), completed: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("move" as const), pick: fc.nat(), to: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("completeAll" as const), completed: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("clear" as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("createList" as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("renameList" as const), pick: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("removeList" as const), pick: fc.nat(), cutShort: fc.boolean() }), weight: 2 },
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** Per user: two writers' sequences of operations (long enough that cursors move on during a run). */
const sequence = fc.array(operation, { minLength: 10, maxLength: 30 });
const scenario = fc.tuple(fc.tuple(sequence, sequence), fc.tuple(sequence, sequence));

/**
 * A client whose transactions wait a random while between taking their entry id and going out.
 * It also measures how late each entry committed (its answer's arrival − its id's time), so that
 * a test can say whether the bound it set held.
 */
function lateCommittingClient() {
  const dynamo = createDynamoClient({ endpoint: fixture.tables.endpoint });
  const lateness = { maxMs: 0 };
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: string };
      if (!(request.headers["x-amz-target"] ?? "").endsWith("TransactWriteItems")) return next(args);
      const entry = (JSON.parse(request.body ?? "{}").TransactItems as { Put?: { Item: { todoId: { S: string } } } }[])
        .map((item) => item.Put?.Item.todoId.S)
        .find((key) => key !== undefined && isSyncLogKey(key));
      await sleep(Math.random() * MAX_COMMIT_DELAY_MS);
      const answer = await next(args);
      if (entry) lateness.maxMs = Math.max(lateness.maxMs, Date.now() - logEntryTime(logEntryIdOfKey(entry)));
      return answer;
    },
    { step: "build", name: "lateCommit" },
  );
  return { dynamo, db: documentClientFor(dynamo), lateness };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

async function serverState(todos: TodoRepository, lists: ListRepository, user: string): Promise<{ lists: List[]; todos: Todo[] }> {
  const tasks: Todo[] = [];
  let cursor: string | undefined;
  do {
    const page = await todos.list(user, { limit: 100, ...(cursor ? { cursor } : {}) });
    tasks.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { lists: (await lists.all(user)).sort(byId), todos: tasks.sort(byId) };
}

/** Runs one scenario; answers whether every replica equals its user's server state. */
async function replicasConverge(ops: Operation[][][], lateCommitBoundMs: number): Promise<{ converged: boolean; detail: string; latenessMs: number }> {
  const writer = lateCommittingClient();
  try {
    const todos = new TodoRepository(writer.db, fixture.tables.todos);
    const lists = new ListRepository(writer.db, fixture.tables.todos);
    const reader = new SyncReader(fixture.db, fixture.tables.todos, { lateCommitBoundMs, snapshotPageTasks: 3, changesPerPage: 4 });
    const users = [`sync-${randomUUID()}`, `sync-${randomUUID()}`];
    const replicas = users.map(() => new SyncReplica());
    let writing = true;

    const runWriter = async (user: string, sequence: Operation[], known: { tasks: string[]; lists: string[] }) => {
      const pick = <T>(items: T[], index: number) => (items.length ? items[index % items.length] : undefined);
      for (const op of sequence) {
        try {
          if (op.kind === "create") {
            const listId = op.inList ? pick(known.lists, op.pick) : undefined;
            known.tasks.push((await todos.create(user, { title: "t", ...(listId ? { listId } : {}) })).id);
          } else if (op.kind === "patch") {
            const id = pick(known.tasks, op.pick);
            if (id) await todos.patch(user, id, { completed: op.completed, title: `t${op.pick % 100}` });
          } else if (op.kind === "move") {
            const id = pick(known.tasks, op.pick);
            if (id) await todos.patch(user, id, { listId: pick(["default", ...known.lists], op.to)! });
          } else if (op.kind === "remove") {
            const id = pick(known.tasks, op.pick);
            if (id) await todos.remove(user, id);
          } else if (op.kind === "completeAll") {
            await todos.completeAll(user, {}, op.completed);
          } else if (op.kind === "clear") {
            await todos.removeCompleted(user);
          } else if (op.kind === "createList") {
            known.lists.push((await lists.create(user, { name: "l" })).id);
          } else if (op.kind === "renameList") {
            await lists.patch(user, pick(["default", ...known.lists], op.pick)!, { name: `l${op.pick % 100}` });
          } else {
            const listId = pick(known.lists, op.pick);
            if (listId) await lists.remove(user, listId, op.cutShort ? { outOfTime: () => true } : {});
          }
        } catch {
          // Not found, conflicts, caps, a transaction conflict given up on: the race is the point;
          // whatever was committed is what the replica must show.
        }
      }
    };

    const follow = async (index: number) => {
      // Start while the writers run: the snapshot itself is taken during writes.
      while (writing) {
        await replicas[index]!.pull((since) => reader.read(users[index]!, since));
        await sleep(Math.random() * 20);
      }
    };

    const writers = users.flatMap((user, index) => {
      const known = { tasks: [] as string[], lists: [] as string[] };
      return ops[index]!.map((sequence) => runWriter(user, sequence, known));
    });
    const followers = users.map((_, index) => follow(index));
    await Promise.all(writers);
    writing = false;
    await Promise.all(followers);

    // Quiescence: one more pull (followed while hasMore) sees everything committed.
    const details: string[] = [];
    for (const [index, user] of users.entries()) {
      await replicas[index]!.pull((since) => reader.read(user, since));
      const replica = replicas[index]!.state();
      const server = await serverState(new TodoRepository(fixture.db, fixture.tables.todos), new ListRepository(fixture.db, fixture.tables.todos), user);
      if (JSON.stringify(replica) !== JSON.stringify(server)) {
        const ids = (s: { lists: List[]; todos: Todo[] }) => new Map([...s.lists, ...s.todos].map((x) => [x.id, JSON.stringify(x)]));
        const [r, s] = [ids(replica), ids(server)];
        const missing = [...s.keys()].filter((id) => r.get(id) !== s.get(id));
        const extra = [...r.keys()].filter((id) => !s.has(id));
        details.push(`user ${index}: stale or missing ${missing.length}, extra ${extra.length}`);
      }
    }
    return { converged: details.length === 0, detail: details.join("; "), latenessMs: writer.lateness.maxMs };
  } finally {
    writer.dynamo.destroy();
  }
}

describe("sync: concurrent writers, a syncing client per user", () => {
  it("after quiescence every replica equals its user's server state (late commits within the bound)", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (ops) => {
        const { converged, detail, latenessMs } = await replicasConverge(ops, BOUND_MS);
        // The premise: every commit came within the bound. A loaded DynamoDB Local (or an SDK
        // retry) can answer seconds late; such a run says nothing about the bound and is discarded.
        fc.pre(latenessMs < BOUND_MS);
        expect(converged, detail).toBe(true);
      }),
      { numRuns: 8, endOnFailure: true },
    );
  }, 240_000);

  it("fails when the late-commit bound is broken on purpose (bound 0, commits up to 120 ms late)", async () => {
    const result = await fc.check(
      fc.asyncProperty(scenario, async (ops) => (await replicasConverge(ops, 0)).converged),
      { numRuns: 20, endOnFailure: true },
    );
    expect(result.failed, "a replica missed a change committed late").toBe(true);
  }, 240_000);
});
