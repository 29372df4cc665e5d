/**
 * Reads the repository saves: a page of every list reads the user's lists once (not again when
 * one page was read), and a patch or delete of a task in a list reads only the task (the
 * transaction checks the list). Counted on the wire by a middleware on the repository's client.
 */
import { describe, expect, it } from "vitest";
import { useRepository } from "./repository-fixture.js";
import { createDynamoClient, documentClientFor, LIST_RANGE, ListRepository, NotFoundError, TodoRepository } from "../src/index.js";

const fixture = useRepository();

function countingRepository() {
  const sent: { operation: string; body: Record<string, any> }[] = [];
  const dynamo = createDynamoClient({ endpoint: fixture.tables.endpoint });
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: string };
      sent.push({ operation: (request.headers["x-amz-target"] ?? "").replace(/^DynamoDB_\d+\./, ""), body: JSON.parse(request.body || "{}") });
      return next(args);
    },
    { step: "build", name: "countRequests" },
  );
  const repo = new TodoRepository(documentClientFor(dynamo), fixture.tables.todos);
  const count = (operation: string, where: (body: Record<string, any>) => boolean = () => true) =>
    sent.filter((r) => r.operation === operation && where(r.body)).length;
  return { repo, sent, count, close: () => dynamo.destroy() };
}

const isListQuery = (body: Record<string, any>) => body.ExpressionAttributeValues?.[":from"]?.S === LIST_RANGE.from;

describe("reads a request makes", () => {
  it("GET /todos: one page holding a task of another list reads the lists once", async () => {
    const user = "user-list-reads";
    const list = await new ListRepository(fixture.db, fixture.tables.todos).create(user, { name: "Work" });
    await fixture.repo.create(user, { title: "in the default list" });
    await fixture.repo.create(user, { title: "in Work", listId: list.id });
    const counting = countingRepository();
    try {
      expect((await counting.repo.list(user, { limit: 10 })).items).toHaveLength(2);
      expect(counting.count("Query", isListQuery)).toBe(1);
    } finally {
      counting.close();
    }
  });

  it("PATCH and DELETE /todos/{id} of a task in a list read the task only; a tombstoned list still hides it (404, also with a stale If-Match)", async () => {
    const user = "user-write-reads";
    const lists = new ListRepository(fixture.db, fixture.tables.todos);
    const list = await lists.create(user, { name: "Work" });
    const task = await fixture.repo.create(user, { title: "a", listId: list.id });
    const other = await fixture.repo.create(user, { title: "b", listId: list.id });
    const counting = countingRepository();
    try {
      await counting.repo.patch(user, task.id, { title: "a2" });
      await counting.repo.remove(user, task.id);
      expect(counting.count("GetItem")).toBe(2);
      expect(counting.count("Query")).toBe(0);
      await lists.remove(user, list.id, { outOfTime: () => true });
      await expect(counting.repo.patch(user, other.id, { title: "b2" })).rejects.toBeInstanceOf(NotFoundError);
      await expect(counting.repo.remove(user, other.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(counting.repo.patch(user, other.id, { title: "b2" }, { expectedVersion: 9 })).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      counting.close();
    }
  });
});
