/**
 * Property: any sequence of creates, patches (with or without If-Match, on own, foreign or
 * deleted tasks) and deletes by two users, sent over HTTP through the gateway, the wrapper and
 * the handlers, answers as a plain in-memory model says and leaves DynamoDB equal to the model.
 * (packages/core/test has the same property for the repository alone.)
 */
import fc from "fast-check";
import { Todo } from "@tasks/core/contract";
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
type Changes = { title?: string; completed?: boolean; order?: number };
type Op =
  | { kind: "create"; who: Who; title: string; completed?: boolean; order?: number }
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

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record(
    { kind: fc.constant("create" as const), who, title: titleArb, completed: fc.boolean(), order: orderArb },
    { requiredKeys: ["kind", "who", "title"] },
  ),
  fc.record({
    kind: fc.constant("patch" as const),
    who,
    target,
    changes: fc
      .record({ title: titleArb, completed: fc.boolean(), order: orderArb }, { requiredKeys: [] })
      .filter((c) => Object.keys(c).length > 0),
    ifMatch: ifMatchArb,
  }),
  fc.record({ kind: fc.constant("delete" as const), who, target, ifMatch: ifMatchArb }),
);

/** Deletes everything both users have, so each run starts from an empty model. */
async function reset(): Promise<void> {
  for (const user of users) {
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

      for (const op of ops) {
        const token = users[op.who].accessToken;
        if (op.kind === "create") {
          const body = { title: op.title, ...(op.completed !== undefined ? { completed: op.completed } : {}), ...(op.order !== undefined ? { order: op.order } : {}) };
          const response = await h.call(token, "POST", "/todos", { body });
          expect(response.status, response.text).toBe(201);
          const todo = Todo.parse(response.body);
          expect(todo).toMatchObject({ title: op.title.trim(), completed: op.completed ?? false, version: 1 });
          if (op.order !== undefined) expect(todo.order).toBe(op.order);
          model.set(todo.id, { owner: op.who, todo });
          ids.push(todo.id);
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
            expect(todo).toEqual({ ...expected, updatedAt: todo.updatedAt });
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

      for (const owner of [0, 1] as const) {
        const expected = [...model.values()]
          .filter((task) => task.owner === owner)
          .map((task) => task.todo)
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(await h.listAll(users[owner])).toEqual(expected);
      }
    }),
    { numRuns: 15, endOnFailure: true },
  );
}, 120_000);
