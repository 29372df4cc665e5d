/**
 * Property: any sequence of creates, patches (with and without If-Match) and deletes, by two
 * users who also aim at each other's tasks, leaves DynamoDB equal to a plain in-memory model.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { expect, it } from "vitest";
import { useRepository } from "./repository-fixture.js";
import { NotFoundError, VersionConflictError, type Todo } from "../src/index.js";

type ModelTodo = Pick<Todo, "id" | "title" | "completed" | "version">;
type Model = Map<string, Map<string, ModelTodo>>;

const userIndex = fc.constantFrom<0 | 1>(0, 1);
const targetIndex = fc.nat({ max: 20 });
const title = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /^\S(.*\S)?$/.test(s) && !/[\u0000-\u001F\u007F-\u009F]/.test(s));
const versionChoice = fc.constantFrom("none", "current", "stale") as fc.Arbitrary<"none" | "current" | "stale">;

const operation = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), user: userIndex, title, completed: fc.boolean() }),
  fc.record({
    kind: fc.constant("patch" as const),
    user: userIndex,
    owner: userIndex,
    target: targetIndex,
    title: fc.option(title, { nil: undefined }),
    completed: fc.boolean(),
    version: versionChoice,
  }),
  fc.record({ kind: fc.constant("remove" as const), user: userIndex, owner: userIndex, target: targetIndex, version: versionChoice }),
  fc.record({ kind: fc.constant("clear" as const), user: userIndex }),
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

it("agrees with an in-memory model for any sequence of operations by two users", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { maxLength: 25 }), async (operations) => {
      const users = [`prop-${randomUUID()}`, `prop-${randomUUID()}`] as const;
      const model: Model = new Map(users.map((u) => [u, new Map()]));
      // Ids ever created per user, deleted ones included, so operations also aim at dead tasks.
      const known: string[][] = [[], []];

      for (const op of operations) {
        const user = users[op.user];
        const tasks = model.get(user)!;
        if (op.kind === "create") {
          const todo = await fixture.repo.create(user, { title: op.title, completed: op.completed });
          tasks.set(todo.id, { id: todo.id, title: op.title, completed: op.completed, version: 1 });
          known[op.user]!.push(todo.id);
          continue;
        }
        if (op.kind === "clear") {
          const expected = [...tasks.values()].filter((t) => t.completed).length;
          const { deleted } = await fixture.repo.removeCompleted(user);
          expect(deleted).toBe(expected);
          for (const [id, t] of tasks) if (t.completed) tasks.delete(id);
          continue;
        }
        const ids = known[op.owner]!;
        if (ids.length === 0) continue;
        const id = ids[op.target % ids.length]!;
        const current = tasks.get(id); // undefined when deleted or owned by the other user
        const expectedVersion =
          op.version === "none" ? undefined : op.version === "current" ? (current?.version ?? 1) : (current?.version ?? 1) + 7;
        const options = expectedVersion === undefined ? {} : { expectedVersion };
        const expected = !current ? "not-found" : expectedVersion !== undefined && expectedVersion !== current.version ? "conflict" : "ok";

        if (op.kind === "patch") {
          const changes = { completed: op.completed, ...(op.title !== undefined ? { title: op.title } : {}) };
          expect(await outcome(fixture.repo.patch(user, id, changes, options))).toBe(expected);
          if (expected === "ok") tasks.set(id, { ...current!, ...changes, version: current!.version + 1 });
        } else {
          expect(await outcome(fixture.repo.remove(user, id, options))).toBe(expected);
          if (expected === "ok") tasks.delete(id);
        }
      }

      for (const user of users) {
        const page = await fixture.repo.list(user, { limit: 100 });
        const stored = page.items.map(({ id, title, completed, version }) => ({ id, title, completed, version }));
        expect(stored).toEqual([...model.get(user)!.values()].sort((a, b) => (a.id < b.id ? -1 : 1)));
      }
    }),
    { numRuns: 30 },
  );
});
