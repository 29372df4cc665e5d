/**
 * The sync engine (src/sync/) against the real API through the offline stack: the local gateway,
 * the real handlers (GET /sync included), DynamoDB Local, tokens from cognito-local. IndexedDB is
 * fake-indexeddb (this runs in Node); a second device is the API called directly.
 */
import "fake-indexeddb/auto";
import { Todo, TodoPage } from "@tasks/core/contract";
import { startLocalStack, type LocalStack } from "@tasks/local/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAndSignIn, uniqueEmail } from "../../local/test-support/cognito-users";
import { openSyncEngine } from "../src/sync/sync-engine";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    ports: { dynamodb: 0, cognito: 0, api: 0, ws: 0 },
    web: false,
    log: () => undefined,
    handlerEnvironment: { POWERTOOLS_LOG_LEVEL: "WARN" },
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe("the sync engine against the real API (offline stack)", () => {
  it("sends writes made offline exactly once, applies the conflict rule, and converges to the server", async () => {
    const user = await signUpAndSignIn(stack, uniqueEmail("sync"));
    const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${user.accessToken}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };

    const listAll = async () => {
      const items: Todo[] = [];
      let cursor: string | null = null;
      do {
        const page = TodoPage.parse((await api("GET", `/todos?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).body);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    };

    // The phone made a task earlier; this browser has never synced.
    const fromPhone = Todo.parse((await api("POST", "/todos", { title: "Water the plants" })).body);

    let online = true;
    let loseNextPost = false;
    const network: typeof fetch = async (input, init) => {
      if (!online) throw new TypeError("Failed to fetch");
      const response = await fetch(input, init);
      if (loseNextPost && init?.method === "POST") {
        loseNextPost = false;
        throw new TypeError("Failed to fetch (answer lost)");
      }
      return response;
    };
    const events = new EventTarget();
    const engine = await openSyncEngine({
      userId: user.sub,
      apiUrl: stack.apiUrl,
      getAccessToken: async () => user.accessToken,
      fetch: network,
      events,
      retry: { baseMs: 3_600_000, maxMs: 3_600_000 },
    });
    try {
      engine.start();
      await engine.settled();
      expect(engine.getView().todos.map((t) => t.id)).toEqual([fromPhone.id]); // the first snapshot
      // A task made here while online: the create's answer puts it in the replica.
      const { id: localId } = await engine.write({ type: "createTodo", input: { title: "Buy milk" } });
      await engine.settled();
      const sharedId = (await engine.serverIdOf(localId!))!;
      expect(engine.getView().todos.filter((t) => t.id !== fromPhone.id).map((t) => [t.id, t.title, t.version])).toEqual([[sharedId, "Buy milk", 1]]);
      expect(engine.getStatus().pending).toBe(0);

      // On a train: two new tasks and an edit.
      online = false;
      await engine.write({ type: "createTodo", input: { title: "Pack bags" } });
      await engine.write({ type: "createTodo", input: { title: "Call mum" } });
      await engine.write({ type: "updateTodo", id: sharedId, patch: { title: "Buy oat milk" } });
      await engine.settled();
      expect(engine.getStatus().pending).toBe(3);
      // Meanwhile the phone renames the same task and completes it.
      expect((await api("PATCH", `/todos/${sharedId}`, { title: "Buy soy milk", completed: true }, { "If-Match": "1" })).status).toBe(200);

      // Back online; the first create's answer is lost on the way.
      online = true;
      loseNextPost = true;
      events.dispatchEvent(new Event("online"));
      await engine.settled();
      for (let round = 0; round < 3 && engine.getStatus().pending > 0; round++) {
        await engine.flush();
        await engine.settled();
      }
      await engine.pull();
      await engine.settled();

      const server = await listAll();
      expect(server.map((t) => t.title).sort()).toEqual(["Buy oat milk", "Call mum", "Pack bags", "Water the plants"]);
      expect(server.find((t) => t.id === sharedId)).toMatchObject({ title: "Buy oat milk", completed: true, version: 3 });
      expect(engine.getStatus()).toMatchObject({ pending: 0, setAside: [] });
      expect(engine.getStatus().notices).toEqual([expect.objectContaining({ kind: "conflict", itemId: sharedId, fields: ["title"] })]);
      const byId = (a: Todo, b: Todo) => (a.id < b.id ? -1 : 1);
      expect([...engine.getView().todos].sort(byId)).toEqual([...server].sort(byId));
    } finally {
      engine.close();
    }
  });
});
