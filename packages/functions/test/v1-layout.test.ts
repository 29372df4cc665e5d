/**
 * An existing deployment upgrades with no migration job: a table seeded in the exact v1 item
 * layout (tasks `userId` + ULID `todoId` with title, completed, order, createdAt, updatedAt,
 * version; the `#counter` item with todoCount) is served by the v2 handlers in the default list
 * with the new fields' defaults, and v1-shaped requests still succeed — and still write v1-shaped
 * items.
 */
import { BatchWriteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, newTodoId } from "@tasks/core";
import { List, Todo, TodoPage } from "@tasks/core/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, invoke, useHandlerTables } from "./invoke.js";

const tables = useHandlerTables({ MAX_TODOS_PER_USER: "5" });
const user = "v1-user";
const V1_ATTRIBUTES = ["completed", "createdAt", "order", "title", "todoId", "updatedAt", "userId", "version"];

/** Items exactly as v1's repository wrote them. */
const seeded = [0, 1, 2].map((i) => {
  const time = new Date(Date.UTC(2025, 5, 1 + i, 12));
  return {
    userId: user,
    todoId: newTodoId(time),
    title: `v1 task ${i}`,
    completed: i === 1,
    order: time.getTime(),
    createdAt: time.toISOString(),
    updatedAt: new Date(time.getTime() + 60_000).toISOString(),
    version: i + 1,
  };
});

let db: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  db = createDocumentClient({ endpoint: tables.endpoint });
  await db.send(
    new BatchWriteCommand({
      RequestItems: {
        [tables.todos]: [...seeded, { userId: user, todoId: "#counter", todoCount: seeded.length }].map((Item) => ({ PutRequest: { Item } })),
      },
    }),
  );
});
afterAll(() => db.destroy());

const stored = async (todoId: string) =>
  (await db.send(new GetCommand({ TableName: tables.todos, Key: { userId: user, todoId }, ConsistentRead: true }))).Item;

describe("a table in the v1 layout", () => {
  it("is served in the default list with the new fields' defaults", async () => {
    const expected = seeded.map((item) => ({
      id: item.todoId,
      title: item.title,
      completed: item.completed,
      order: item.order,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      version: item.version,
      listId: "default",
      notes: "",
      due: null,
      // Completed before v2: its last change while completed.
      completedAt: item.completed ? item.updatedAt : null,
    }));
    expect(TodoPage.parse((await invoke("GET", "/todos", { user })).body)).toEqual({ items: expected, nextCursor: null });
    expect((await invoke("GET", "/todos", { user, query: { listId: "default" } })).body.items).toEqual(expected);
    expect((await invoke("GET", "/todos", { user, query: { completed: "true" } })).body.items).toEqual([expected[1]]);
    expect((await invoke("GET", `/todos/${seeded[0]!.todoId}`, { user })).body).toEqual(expected[0]);
    const lists = (await invoke("GET", "/lists", { user })).body.items as List[];
    expect(lists.map((l) => [l.id, l.name, l.isDefault])).toEqual([["default", "Tasks", true]]);
  });

  it("takes v1 requests as before, and they write v1-shaped items", async () => {
    const patched = await invoke("PATCH", `/todos/${seeded[0]!.todoId}`, { user, json: { title: "renamed", order: 5 }, headers: { "if-match": "1" } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(Todo.parse(patched.body)).toMatchObject({ title: "renamed", order: 5, version: 2, listId: "default" });
    expect(Object.keys((await stored(seeded[0]!.todoId))!).sort()).toEqual(V1_ATTRIBUTES);

    expectError(await invoke("PATCH", `/todos/${seeded[2]!.todoId}`, { user, json: { completed: true }, headers: { "if-match": "1" } }), 409, "VERSION_CONFLICT");

    const created = await invoke("POST", "/todos", { user, json: { title: "new from a v1 client" } });
    expect(created.status).toBe(201);
    expect(Object.keys((await stored(created.body.id))!).sort()).toEqual(V1_ATTRIBUTES);

    // The seeded counter still caps: 3 seeded + 1 created + 1 more = the cap of 5.
    expect((await invoke("POST", "/todos", { user, json: { title: "fifth" } })).status).toBe(201);
    expectError(await invoke("POST", "/todos", { user, json: { title: "sixth" } }), 409, "TOO_MANY_TODOS");

    expect((await invoke("DELETE", "/todos", { user, query: { completed: "true" } })).body).toEqual({ deleted: 1 });
    expect((await invoke("DELETE", `/todos/${seeded[2]!.todoId}`, { user, headers: { "if-match": "3" } })).status).toBe(204);
    const left = TodoPage.parse((await invoke("GET", "/todos", { user })).body).items.map((t) => t.title);
    expect(left).toEqual(["renamed", "new from a v1 client", "fifth"]);
    expect(await stored("#counter")).toEqual({ userId: user, todoId: "#counter", todoCount: 3 });
  });
});
