/**
 * The list routes through the real handlers (API Gateway v2 events, DynamoDB Local): the contract's
 * answers, validation, Idempotency-Key, If-Match, the default list, the cap, and BOLA — another
 * user's list is a 404 on every route, in a path, a query or a body, and nothing is stored.
 */
import { randomUUID } from "node:crypto";
import { List, ListCollection, Todo, TodoPage } from "@tasks/core/contract";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@tasks/core";
import { describe, expect, it } from "vitest";
import { expectError, invoke, useHandlerTables } from "./invoke.js";

const tables = useHandlerTables({ MAX_LISTS_PER_USER: "6" });
const fresh = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

async function newList(user: string, name = "Groceries", headers: Record<string, string> = {}) {
  const answer = await invoke("POST", "/lists", { user, json: { name }, headers });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return List.parse(answer.body);
}

async function partition(user: string) {
  const db = createDocumentClient({ endpoint: tables.endpoint });
  try {
    const { Items = [] } = await db.send(
      new QueryCommand({ TableName: tables.todos, KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": user }, ConsistentRead: true }),
    );
    return Items;
  } finally {
    db.destroy();
  }
}

describe("the default list", () => {
  it("exists without being created, first, named Tasks, version 1", async () => {
    const answer = await invoke("GET", "/lists", { user: fresh("newcomer") });
    expect(answer.status).toBe(200);
    const { items } = ListCollection.parse(answer.body);
    expect(items).toEqual([expect.objectContaining({ id: "default", name: "Tasks", isDefault: true, version: 1, position: 0 })]);
  });

  it("can be renamed (with If-Match 1 the first time) but never deleted", async () => {
    const user = fresh("renamer");
    const renamed = await invoke("PATCH", "/lists/default", { user, json: { name: "Inbox" }, headers: { "if-match": "1" } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(List.parse(renamed.body)).toMatchObject({ id: "default", name: "Inbox", isDefault: true, version: 2, position: 0 });
    expectError(await invoke("PATCH", "/lists/default", { user, json: { name: "Late" }, headers: { "if-match": "1" } }), 409, "VERSION_CONFLICT");
    expectError(await invoke("DELETE", "/lists/default", { user }), 409, "DEFAULT_LIST");
    expect((await invoke("GET", "/lists", { user })).body.items).toEqual([renamed.body]);
  });
});

describe("POST /lists", () => {
  it("creates a list: 201, Location, a List after the default one", async () => {
    const user = fresh("creator");
    const answer = await invoke("POST", "/lists", { user, json: { name: "  Work  " } });
    expect(answer.status).toBe(201);
    const list = List.parse(answer.body);
    expect(list).toMatchObject({ name: "Work", isDefault: false, version: 1 });
    expect(list.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(answer.headers.location).toBe(`/lists/${list.id}`);
    const second = await newList(user, "Home");
    expect((await invoke("GET", "/lists", { user })).body.items.map((l: List) => l.id)).toEqual(["default", list.id, second.id]);
  });

  it.each([
    ["an empty name", { name: " " }],
    ["a 101-character name", { name: "x".repeat(101) }],
    ["a control character", { name: "tab\there" }],
    ["a numeric name", { name: 5 }],
    ["an unknown field", { name: "a", colour: "red" }],
    ["a client-set id", { name: "a", id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }],
    ["a client-set isDefault", { name: "a", isDefault: true }],
    ["a client-set version", { name: "a", version: 3 }],
    ["a string position", { name: "a", position: "1" }],
  ])("refuses %s with 400 and stores nothing", async (_, json) => {
    const user = fresh("invalid");
    const answer = await invoke("POST", "/lists", { user, json });
    expectError(answer, 400, "VALIDATION_FAILED");
    expect(answer.body.error.details.length).toBeGreaterThan(0);
    expect(await partition(user)).toEqual([]);
  });

  it("replays a retried Idempotency-Key and refuses it with another body", async () => {
    const user = fresh("retrier");
    const headers = { "idempotency-key": "list-once" };
    const first = await newList(user, "Once", headers);
    const retry = await invoke("POST", "/lists", { user, json: { name: "Once" }, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first);
    expectError(await invoke("POST", "/lists", { user, json: { name: "Twice" }, headers }), 422, "IDEMPOTENCY_KEY_REUSED");
    // The same key on POST /todos is another operation, not a reuse.
    expect((await invoke("POST", "/todos", { user, json: { title: "Once" }, headers })).status).toBe(201);
    expect((await invoke("GET", "/lists", { user })).body.items).toHaveLength(2);
  });

  it("keeps at most MAX_LISTS_PER_USER lists, the default one included, also when creates race", async () => {
    const user = fresh("hoarder");
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => invoke("POST", "/lists", { user, json: { name: `l${i}` } })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    for (const refused of answers.filter((a) => a.status !== 201)) expectError(refused, 409, "TOO_MANY_LISTS");
    const { items } = (await invoke("GET", "/lists", { user })).body;
    expect(items).toHaveLength(6);
    // Deleting one frees exactly one slot.
    expect((await invoke("DELETE", `/lists/${items[1].id}`, { user })).status).toBe(204);
    await newList(user, "again");
    expectError(await invoke("POST", "/lists", { user, json: { name: "one too many" } }), 409, "TOO_MANY_LISTS");
  });
});

describe("PATCH /lists/{listId}", () => {
  it("renames and moves, bumps the version, honours If-Match", async () => {
    const user = fresh("editor");
    const list = await newList(user);
    const moved = await invoke("PATCH", `/lists/${list.id}`, { user, json: { name: "Food", position: -5 } });
    expect(moved.status).toBe(200);
    expect(List.parse(moved.body)).toMatchObject({ id: list.id, name: "Food", position: -5, version: 2, createdAt: list.createdAt });
    // position -5 sorts it before the default list (position 0).
    expect((await invoke("GET", "/lists", { user })).body.items[0].id).toBe(list.id);
    const stale = await invoke("PATCH", `/lists/${list.id}`, { user, json: { name: "x" }, headers: { "if-match": "1" } });
    expectError(stale, 409, "VERSION_CONFLICT");
    expect(stale.body.error.currentVersion).toBe(2);
  });

  it.each([
    ["an empty patch", {}],
    ["an unknown field", { colour: "red" }],
    ["an empty name", { name: "" }],
    ["a client-set isDefault", { isDefault: false }],
  ])("refuses %s with 400", async (_, json) => {
    const user = fresh("bad-patch");
    const list = await newList(user);
    expectError(await invoke("PATCH", `/lists/${list.id}`, { user, json }), 400, "VALIDATION_FAILED");
  });

  it("answers 400 for a malformed list id and 404 for an unknown one", async () => {
    expectError(await invoke("PATCH", "/lists/not-a-list", { json: { name: "x" } }), 400, "VALIDATION_FAILED");
    expectError(await invoke("PATCH", "/lists/01ARZ3NDEKTSV4RRFFQ69G5FAV", { json: { name: "x" } }), 404, "NOT_FOUND");
    expectError(await invoke("DELETE", "/lists/not-a-list"), 400, "VALIDATION_FAILED");
    expectError(await invoke("DELETE", "/lists/01ARZ3NDEKTSV4RRFFQ69G5FAV"), 404, "NOT_FOUND");
    expectError(await invoke("GET", "/todos", { query: { listId: "nope" } }), 400, "VALIDATION_FAILED");
  });
});

describe("isolation: another user's list is a 404 on every route, and nothing is stored", () => {
  it("in a path, a query and a body", async () => {
    const victim = fresh("victim");
    const attacker = fresh("attacker");
    const list = await newList(victim, "Secret");
    const task = Todo.parse((await invoke("POST", "/todos", { user: victim, json: { title: "inside", listId: list.id } })).body);
    const mine = Todo.parse((await invoke("POST", "/todos", { user: attacker, json: { title: "mine" } })).body);
    const before = await partition(victim);

    const attacks = [
      invoke("PATCH", `/lists/${list.id}`, { user: attacker, json: { name: "pwned" } }),
      invoke("PATCH", `/lists/${list.id}`, { user: attacker, json: { name: "pwned" }, headers: { "if-match": "1" } }),
      invoke("DELETE", `/lists/${list.id}`, { user: attacker }),
      invoke("GET", "/todos", { user: attacker, query: { listId: list.id } }),
      invoke("POST", "/todos", { user: attacker, json: { title: "planted", listId: list.id } }),
      invoke("PATCH", `/todos/${mine.id}`, { user: attacker, json: { listId: list.id } }),
      invoke("PATCH", "/todos", { user: attacker, query: { listId: list.id }, json: { completed: true } }),
      invoke("GET", `/todos/${task.id}`, { user: attacker }),
    ];
    for (const answer of await Promise.all(attacks)) expectError(answer, 404, "NOT_FOUND");

    expect(await partition(victim)).toEqual(before);
    expect((await invoke("GET", "/lists", { user: attacker })).body.items.map((l: List) => l.id)).toEqual(["default"]);
    const attackerTasks = TodoPage.parse((await invoke("GET", "/todos", { user: attacker })).body).items;
    expect(attackerTasks).toEqual([mine]);
  });
});
