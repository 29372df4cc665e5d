/**
 * Property: any sequence of list and task operations — creating and deleting lists, creating,
 * patching (with and without If-Match, moving between lists), deleting, clearing and marking all —
 * by two users who also aim at each other's (and deleted) tasks and lists, answers as a plain
 * in-memory model says, and leaves DynamoDB equal to it: read back through the repositories, and
 * read raw with a Scan of the table (task attributes, list items, memberships, counters).
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { expect, it } from "vitest";
import { scanPartitions } from "../../local/test-support/raw-table.js";
import { useRepository } from "./repository-fixture.js";
import { ListRepository, NotFoundError, VersionConflictError, type Todo } from "../src/index.js";

type ModelTodo = Pick<Todo, "id" | "title" | "completed" | "version" | "listId">;
interface UserModel {
  tasks: Map<string, ModelTodo>;
  lists: Set<string>;
}

const userIndex = fc.constantFrom<0 | 1>(0, 1);
const targetIndex = fc.nat({ max: 20 });
/** Which list: the default one, or an index into every list created so far (deleted ones included). */
const listChoice = fc.option(fc.nat({ max: 6 }), { nil: undefined, freq: 4 });
/** Whose list an operation names: mostly the caller's own, so that moves and list pages get exercised. */
const listOwner = fc.constantFrom(false, false, false, true);
const title = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /^\S(.*\S)?$/.test(s) && !/[\u0000-\u001F\u007F-\u009F]/.test(s));
const versionChoice = fc.constantFrom("none", "current", "stale") as fc.Arbitrary<"none" | "current" | "stale">;

const operation = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("createList" as const), user: userIndex }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("create" as const), user: userIndex, foreign: listOwner, title, completed: fc.boolean(), list: listChoice }), weight: 5 },
  { arbitrary: fc.record({
    kind: fc.constant("patch" as const),
    user: userIndex,
    owner: userIndex,
    target: targetIndex,
    title: fc.option(title, { nil: undefined }),
    completed: fc.boolean(),
    move: fc.boolean(),
    foreign: listOwner,
    list: listChoice,
    version: versionChoice,
  }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("remove" as const), user: userIndex, owner: userIndex, target: targetIndex, version: versionChoice }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("clear" as const), user: userIndex }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("removeList" as const), user: userIndex, owner: userIndex, list: fc.nat({ max: 6 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("completeAll" as const), user: userIndex, foreign: listOwner, list: listChoice, completed: fc.boolean() }), weight: 1 },
);

const fixture = useRepository();

async function outcome(action: Promise<unknown>): Promise<"ok" | "not-found" | "conflict"> {
  try {
    await action;
    return "ok";
  } catch (error) {
    if (error instanceof NotFoundError) return "not-found";
    if (error instanceof VersionConflictError) return "conflict";
    throw error;
  }
}

it("agrees with an in-memory model, and with a raw Scan of the table, for any sequence of operations by two users", async () => {
  const lists = new ListRepository(fixture.db, fixture.tables.todos);
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 10, maxLength: 40, size: "max" }), async (operations) => {
      const users = [`prop-${randomUUID()}`, `prop-${randomUUID()}`] as const;
      const model: UserModel[] = [
        { tasks: new Map(), lists: new Set() },
        { tasks: new Map(), lists: new Set() },
      ];
      // Ids ever created per user, deleted ones included, so operations also aim at dead tasks and lists.
      const knownTasks: string[][] = [[], []];
      const knownLists: string[][] = [[], []];
      /** The list an operation names: "default", or a list of `owner` (maybe deleted); and whether `user` may use it. */
      const pickList = (user: 0 | 1, foreign: boolean, choice: number | undefined) => {
        const owner = foreign ? ((1 - user) as 0 | 1) : user;
        if (choice === undefined || knownLists[owner]!.length === 0) return { listId: "default", usable: true };
        const listId = knownLists[owner]![choice % knownLists[owner]!.length]!;
        return { listId, usable: owner === user && model[user]!.lists.has(listId) };
      };

      for (const op of operations) {
        const user = users[op.user];
        const mine = model[op.user]!;
        if (op.kind === "createList") {
          const list = await lists.create(user, { name: "l" });
          mine.lists.add(list.id);
          knownLists[op.user]!.push(list.id);
          continue;
        }
        if (op.kind === "removeList") {
          const ids = knownLists[op.owner]!;
          if (ids.length === 0) continue;
          const listId = ids[op.list % ids.length]!;
          const visible = op.owner === op.user && mine.lists.has(listId);
          expect(await outcome(lists.remove(user, listId))).toBe(visible ? "ok" : "not-found");
          if (visible) {
            mine.lists.delete(listId);
            for (const [id, t] of mine.tasks) if (t.listId === listId) mine.tasks.delete(id);
          }
          continue;
        }
        if (op.kind === "create") {
          const { listId, usable } = pickList(op.user, op.foreign, op.list);
          const created = fixture.repo.create(user, { title: op.title, completed: op.completed, listId });
          if (!usable) {
            expect(await outcome(created)).toBe("not-found");
            continue;
          }
          const todo = await created;
          expect(todo).toMatchObject({ title: op.title, completed: op.completed, listId, version: 1 });
          mine.tasks.set(todo.id, { id: todo.id, title: op.title, completed: op.completed, version: 1, listId });
          knownTasks[op.user]!.push(todo.id);
          continue;
        }
        if (op.kind === "clear") {
          const expected = [...mine.tasks.values()].filter((t) => t.completed).length;
          expect(await fixture.repo.removeCompleted(user)).toEqual({ deleted: expected });
          for (const [id, t] of mine.tasks) if (t.completed) mine.tasks.delete(id);
          continue;
        }
        if (op.kind === "completeAll") {
          const { listId, usable } = pickList(op.user, op.foreign, op.list);
          const query = op.list === undefined ? {} : { listId };
          const done = fixture.repo.completeAll(user, query, op.completed);
          if (!usable) {
            expect(await outcome(done)).toBe("not-found");
            continue;
          }
          const changing = [...mine.tasks.values()].filter((t) => t.completed !== op.completed && (op.list === undefined || t.listId === listId));
          expect(await done).toEqual({ updated: changing.length });
          for (const t of changing) mine.tasks.set(t.id, { ...t, completed: op.completed, version: t.version + 1 });
          continue;
        }
        const ids = knownTasks[op.owner]!;
        if (ids.length === 0) continue;
        const id = ids[op.target % ids.length]!;
        const current = mine.tasks.get(id); // undefined when deleted or owned by the other user
        const expectedVersion =
          op.version === "none" ? undefined : op.version === "current" ? (current?.version ?? 1) : (current?.version ?? 1) + 7;
        const options = expectedVersion === undefined ? {} : { expectedVersion };
        const stale = expectedVersion !== undefined && current !== undefined && expectedVersion !== current.version;

        if (op.kind === "patch") {
          const target = op.move ? pickList(op.user, op.foreign, op.list) : undefined;
          const changes = {
            completed: op.completed,
            ...(op.title !== undefined ? { title: op.title } : {}),
            ...(target ? { listId: target.listId } : {}),
          };
          const expected = !current ? "not-found" : stale ? "conflict" : target && !target.usable ? "not-found" : "ok";
          expect(await outcome(fixture.repo.patch(user, id, changes, options))).toBe(expected);
          if (expected === "ok") mine.tasks.set(id, { ...current!, ...changes, version: current!.version + 1 });
        } else {
          const expected = !current ? "not-found" : stale ? "conflict" : "ok";
          expect(await outcome(fixture.repo.remove(user, id, options))).toBe(expected);
          if (expected === "ok") mine.tasks.delete(id);
        }
      }

      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      const raw = await scanPartitions(fixture.tables.endpoint, fixture.tables.todos, users);
      for (const [index, user] of users.entries()) {
        const expected = [...model[index]!.tasks.values()].sort(byId);
        // Through the repositories: every task, and each list's tasks.
        const page = await fixture.repo.list(user, { limit: 100 });
        expect(page.items.map(({ id, title, completed, version, listId }) => ({ id, title, completed, version, listId }))).toEqual(expected);
        for (const listId of ["default", ...model[index]!.lists]) {
          const inList = await fixture.repo.list(user, { limit: 100, listId });
          expect(inList.items.map((t) => t.id)).toEqual(expected.filter((t) => t.listId === listId).map((t) => t.id));
        }
        expect((await lists.all(user)).map((l) => l.id).sort()).toEqual(["default", ...model[index]!.lists].sort());

        // Raw: the stored items themselves, independent of the repositories' reading code.
        const stored = raw.get(user)!;
        const storedTasks = [...stored.tasks.values()].map((item) => ({
          id: item.todoId as string,
          title: item.title,
          completed: item.completed,
          version: item.version,
          // v1 layout: the default list is the absence of the attribute.
          listId: item.listId ?? "default",
        }));
        expect(storedTasks.sort(byId)).toEqual(expected);
        for (const item of stored.tasks.values()) expect(item.listId).not.toBe("default");
        expect(stored.memberships).toEqual(
          expected.filter((t) => t.listId !== "default").map((t) => `~in#${t.listId}#${t.id}`).sort(),
        );
        expect([...stored.lists.keys()].sort()).toEqual([...model[index]!.lists].sort());
        for (const item of stored.lists.values()) expect(item.deletedAt).toBeUndefined();
        expect(stored.counter).toEqual({ todoCount: expected.length, listCount: model[index]!.lists.size });
        expect(stored.other).toEqual([]);
      }
    }),
    { numRuns: 30, endOnFailure: true },
  );
}, 120_000);
