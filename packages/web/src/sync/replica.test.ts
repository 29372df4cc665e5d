/** The replica on a real IndexedDB implementation (fake-indexeddb, in memory). */
import "fake-indexeddb/auto";
import type { SyncChange, SyncPage, Todo } from "@tasks/core/contract";
import { afterEach, describe, expect, it } from "vitest";
import { Replica } from "./replica";

const opened: Replica[] = [];
afterEach(() => {
  for (const replica of opened.splice(0)) replica.close();
});

async function open(user: string) {
  const replica = await Replica.open(user);
  opened.push(replica);
  return replica;
}

function todo(id: string, version: number, title = `${id} v${version}`, listId = "default"): Todo {
  const at = "2026-01-01T00:00:00.000Z";
  return { id, title, completed: false, order: 0, createdAt: at, updatedAt: at, version, listId, notes: "", due: null, completedAt: null };
}
const put = (item: Todo): SyncChange => ({ kind: "todo", id: item.id, deleted: false, item });
const del = (id: string, kind: "todo" | "list" = "todo"): SyncChange => ({ kind, id, deleted: true });
const page = (changes: SyncChange[], cursor: string, hasMore = false): SyncPage => ({ changes, cursor, hasMore });
const titles = (replica: Replica) => [...replica.state.todos.values()].map((t) => t.title).sort();

describe("the replica", () => {
  it("applies a delta page in order, and applying it again (a re-send) changes nothing", async () => {
    const user = crypto.randomUUID();
    const replica = await open(user);
    await replica.applySnapshotPage(page([put(todo("A", 1)), put(todo("B", 1))], "c1"), true);
    const delta = page([put(todo("A", 2)), put(todo("A", 3)), del("B"), put(todo("C", 1))], "c2");
    await replica.applyDelta(delta);
    expect(titles(replica)).toEqual(["A v3", "C v1"]);
    await replica.applyDelta(delta);
    await replica.applyDelta(page([put(todo("A", 2)), put(todo("B", 1))], "c2")); // older entries sent again
    expect(titles(replica)).toEqual(["A v3", "C v1"]);
    replica.close();
    opened.pop();

    const reopened = await open(user);
    expect(titles(reopened)).toEqual(["A v3", "C v1"]);
    expect(reopened.cursor).toBe("c2");
  });

  it("replaces its state with a snapshot only when the snapshot's last page arrives", async () => {
    const user = crypto.randomUUID();
    const replica = await open(user);
    await replica.applySnapshotPage(page([put(todo("OLD", 1))], "c1"), true);
    await replica.applySnapshotPage(page([put(todo("N1", 1))], "s1", true), true);
    expect(titles(replica)).toEqual(["OLD v1"]);
    expect(replica.cursor).toBe("c1");
    replica.close();
    opened.pop();

    // A reload mid-snapshot shows the whole previous state.
    const reopened = await open(user);
    expect(titles(reopened)).toEqual(["OLD v1"]);
    await reopened.applySnapshotPage(page([put(todo("N1", 1))], "s1", true), true);
    await reopened.applySnapshotPage(page([put(todo("N2", 1))], "s2"), false);
    expect(titles(reopened)).toEqual(["N1 v1", "N2 v1"]);
    expect(reopened.cursor).toBe("s2");
  });

  it("removes a deleted list's tasks with it", async () => {
    const replica = await open(crypto.randomUUID());
    const list = { id: "L", name: "Trip", position: 1, isDefault: false, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z", version: 1 };
    await replica.applySnapshotPage(page([{ kind: "list", id: "L", deleted: false, item: list }, put(todo("A", 1, "in L", "L")), put(todo("B", 1))], "c1"), true);
    await replica.applyDelta(page([del("L", "list")], "c2"));
    expect(titles(replica)).toEqual(["B v1"]);
    expect([...replica.state.lists.keys()]).toEqual([]);
  });

  it("never brings back a deleted item, nor an older version, from a late answer", async () => {
    const replica = await open(crypto.randomUUID());
    await replica.applySnapshotPage(page([put(todo("A", 1)), put(todo("B", 4))], "c1"), true);
    await replica.applyAcknowledged([del("A")]);
    await replica.applyDelta(page([put(todo("A", 1)), put(todo("B", 3))], "c2"));
    expect(titles(replica)).toEqual(["B v4"]);
  });

  it("keeps what it has after a 410 until the new snapshot replaces it", async () => {
    const replica = await open(crypto.randomUUID());
    await replica.applySnapshotPage(page([put(todo("A", 1))], "c1"), true);
    await replica.forgetCursor();
    expect(replica.cursor).toBeUndefined();
    expect(titles(replica)).toEqual(["A v1"]);
  });
});
