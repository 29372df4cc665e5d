/**
 * Property: any sequence of creates, patches (with or without If-Match, on own, foreign or
 * deleted tasks, moving between lists) and deletes of tasks, and creates and deletes of lists, by
 * two users, sent over HTTP through the gateway, the wrapper and the handlers, answers as a plain
 * in-memory model says and leaves DynamoDB equal to the model — read back over HTTP, and read raw
 * with a Scan of the table. (packages/core/test has the same property for the repositories.)
 */
import fc from "fast-check";
import { List, ListCollection, Todo } from "@tasks/core/contract";
import { scanPartitions } from "../../test-support/raw-table.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { errorCode, startHarness, type Harness, type User } from "./support.js";

let h: Harness;
let users: [User, User];

beforeAll(async () => {
  h = await startHarness();
  users = await Promise.all([h.signUp("prop-a"), h.signUp("prop-b")]);
});

afterAll(() => h?.stop());

type Who = 0 | 1;
/** Which task an operation aims at: an index into every id created so far in this run. */
type Target = { pick: number };
type Changes = { title?: string; completed?: boolean; order?: number; notes?: string };
/** A list: the default one, or an index into every list created so far (deleted and foreign ones included). */
type ListPick = { pick?: number };
type Op =
  | { kind: "create"; who: Who; title: string; completed?: boolean; order?: number; list: ListPick }
  | { kind: "createList"; who: Who }
  | { kind: "deleteList"; who: Who; list: ListPick }
  | { kind: "move"; who: Who; target: Target; list: ListPick }
  | { kind: "patch"; who: Who; target: Target; changes: Changes; ifMatch: "none" | "current" | "stale" }
  | { kind: "delete"; who: Who; target: Target; ifMatch: "none" | "current" | "stale" };

interface ModelTask {
  owner: Who;
  todo: Todo;
}

const who = fc.constantFrom<Who>(0, 1);
const titleArb = fc.string({ minLength: 1, maxLength: 20 }).filter((t) => t.trim().length > 0 && !/[\u0000-\u001f\u007f-\u009f]/.test(t));
const orderArb = fc.integer({ min: -1_000_000, max: 1_000_000 });
const ifMatchArb = fc.constantFrom("none", "current", "stale") as fc.Arbitrary<"none" | "current" | "stale">;
const target = fc.record({ pick: fc.nat({ max: 30 }) });
const listPick = fc.record({ pick: fc.option(fc.nat({ max: 6 }), { nil: undefined, freq: 3 }) }, { requiredKeys: [] });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record(
    { kind: fc.constant("create" as const), who, title: titleArb, completed: fc.boolean(), order: orderArb, list: listPick },
    { requiredKeys: ["kind", "who", "title", "list"] },
  ),
  fc.record({ kind: fc.constant("createList" as const), who }),
  fc.record({ kind: fc.constant("deleteList" as const), who, list: listPick }),
  fc.record({ kind: fc.constant("move" as const), who, target, list: listPick }),
  fc.record({
    kind: fc.constant("patch" as const),
    who,
    target,
    changes: fc
      .record({ title: titleArb, completed: fc.boolean(), order: orderArb, notes: fc.string({ maxLength: 30 }).filter((n) => !/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(n)) }, { requiredKeys: [] })
      .filter((c) => Object.keys(c).length > 0),
    ifMatch: ifMatchArb,
  }),
  fc.record({ kind: fc.constant("delete" as const), who, target, ifMatch: ifMatchArb }),
);

/** Deletes everything both users have, so each run starts from an empty model. */
async function reset(): Promise<void> {
  for (const user of users) {
    const lists = ListCollection.parse((await h.call(user.accessToken, "GET", "/lists")).body).items;
    for (const list of lists.filter((l) => !l.isDefault)) {
      expect((await h.call(user.accessToken, "DELETE", `/lists/${list.id}`)).status).toBe(204);
    }
    for (const task of await h.listAll(user)) {
      expect((await h.call(user.accessToken, "DELETE", `/todos/${task.id}`)).status).toBe(204);
    }
  }
}

it("two users' random writes over HTTP leave DynamoDB equal to the model", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { maxLength: 15 }), async (ops) => {
      await reset();
      const model = new Map<string, ModelTask>();
      const ids: string[] = [];
      const idFor = (t: Target) => (ids.length === 0 ? "01ARZ3NDEKTSV4RRFFQ69G5FAV" : ids[t.pick % ids.length]!);
      // Every list created in this run, with its owner and whether it still exists.
      const lists: { id: string; owner: Who; live: boolean }[] = [];
      const listFor = (pick: ListPick) => (pick.pick === undefined || lists.length === 0 ? undefined : lists[pick.pick % lists.length]!);
      const usable = (list: (typeof lists)[number] | undefined, caller: Who) => list === undefined || (list.live && list.owner === caller);

      for (const op of ops) {
        const token = users[op.who].accessToken;
        if (op.kind === "createList") {
          const response = await h.call(token, "POST", "/lists", { body: { name: "list" } });
          expect(response.status, response.text).toBe(201);
          lists.push({ id: List.parse(response.body).id, owner: op.who, live: true });
          continue;
        }
        if (op.kind === "deleteList") {
          const list = listFor(op.list);
          const response = await h.call(token, "DELETE", `/lists/${list?.id ?? "default"}`);
          if (list === undefined) {
            expect(response.status, response.text).toBe(409);
          } else if (!usable(list, op.who)) {
            expect(response.status, response.text).toBe(404);
          } else {
            expect(response.status, response.text).toBe(204);
            list.live = false;
            for (const [id, task] of model) if (task.todo.listId === list.id) model.delete(id);
          }
          continue;
        }
        if (op.kind === "create") {
          const list = listFor(op.list);
          const body = {
            title: op.title,
            ...(op.completed !== undefined ? { completed: op.completed } : {}),
            ...(op.order !== undefined ? { order: op.order } : {}),
            ...(list ? { listId: list.id } : {}),
          };
          const response = await h.call(token, "POST", "/todos", { body });
          if (!usable(list, op.who)) {
            expect(response.status, response.text).toBe(404);
            continue;
          }
          expect(response.status, response.text).toBe(201);
          const todo = Todo.parse(response.body);
          expect(todo).toMatchObject({ title: op.title.trim(), completed: op.completed ?? false, version: 1, listId: list?.id ?? "default" });
          if (op.order !== undefined) expect(todo.order).toBe(op.order);
          model.set(todo.id, { owner: op.who, todo });
          ids.push(todo.id);
          continue;
        }
        if (op.kind === "move") {
          const id = idFor(op.target);
          const known = model.get(id);
          const list = listFor(op.list);
          const response = await h.call(token, "PATCH", `/todos/${id}`, { body: { listId: list?.id ?? "default" } });
          if (known === undefined || known.owner !== op.who || !usable(list, op.who)) {
            expect(response.status, response.text).toBe(404);
          } else {
            expect(response.status, response.text).toBe(200);
            const todo = Todo.parse(response.body);
            expect(todo).toEqual({ ...known.todo, listId: list?.id ?? "default", version: known.todo.version + 1, updatedAt: todo.updatedAt });
            known.todo = todo;
          }
          continue;
        }
        const id = idFor(op.target);
        const known = model.get(id);
        const visible = known !== undefined && known.owner === op.who;
        const version = known ? (op.ifMatch === "current" ? known.todo.version : known.todo.version - 1) : 1;
        const headers: Record<string, string> = op.ifMatch === "none" ? {} : { "if-match": String(version) };
        if (op.kind === "patch") {
          const response = await h.call(token, "PATCH", `/todos/${id}`, { body: op.changes, headers });
          if (!visible) {
            expect(response.status, response.text).toBe(404);
          } else if (op.ifMatch === "stale") {
            expect(response.status, response.text).toBe(409);
            expect(errorCode(response)).toBe("VERSION_CONFLICT");
            expect(response.body).toHaveProperty("error.currentVersion", known.todo.version);
          } else {
            expect(response.status, response.text).toBe(200);
            const todo = Todo.parse(response.body);
            const expected = {
              ...known.todo,
              ...op.changes,
              ...(op.changes.title !== undefined ? { title: op.changes.title.trim() } : {}),
              version: known.todo.version + 1,
            };
            expect(todo).toEqual({ ...expected, updatedAt: todo.updatedAt, completedAt: todo.completedAt });
            expect(todo.completedAt === null).toBe(!todo.completed);
            expect(todo.updatedAt >= known.todo.updatedAt).toBe(true);
            known.todo = todo;
          }
        } else {
          const response = await h.call(token, "DELETE", `/todos/${id}`, { headers });
          if (!visible) {
            expect(response.status, response.text).toBe(404);
          } else if (op.ifMatch === "stale") {
            expect(response.status, response.text).toBe(409);
          } else {
            expect(response.status, response.text).toBe(204);
            model.delete(id);
          }
        }
      }

      const raw = await scanPartitions(h.stack.dynamoDbEndpoint, h.stack.tableNames.todos, users.map((u) => u.sub));
      for (const owner of [0, 1] as const) {
        const expected = [...model.values()]
          .filter((task) => task.owner === owner)
          .map((task) => task.todo)
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(await h.listAll(users[owner])).toEqual(expected);
        const liveLists = lists.filter((l) => l.owner === owner && l.live).map((l) => l.id);
        for (const listId of ["default", ...liveLists]) {
          expect(await h.listAll(users[owner], `listId=${listId}`)).toEqual(expected.filter((t) => t.listId === listId));
        }
        // Raw: what DynamoDB holds, read without the API's own list code.
        const stored = raw.get(users[owner].sub)!;
        const storedTasks = [...stored.tasks.values()]
          .map((item) => ({
            id: item.todoId,
            title: item.title,
            completed: item.completed,
            order: item.order,
            createdAt: item.createdAt,
            updatedAt: item.updatedAt,
            version: item.version,
            listId: item.listId ?? "default",
            notes: item.notes ?? "",
            due: item.due ?? null,
            completedAt: item.completed ? (item.completedAt ?? item.updatedAt) : null,
          }))
          .sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1));
        expect(storedTasks).toEqual(expected);
        expect(stored.memberships).toEqual(expected.filter((t) => t.listId !== "default").map((t) => `~in#${t.listId}#${t.id}`).sort());
        expect([...stored.lists.keys()].sort()).toEqual([...liveLists].sort());
        expect(stored.counter).toEqual({ todoCount: expected.length, listCount: liveLists.length });
        expect(stored.other).toEqual([]);
      }
    }),
    { numRuns: 15, endOnFailure: true },
  );
}, 120_000);
