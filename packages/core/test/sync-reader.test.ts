/**
 * The sync reader on its own, with the late-commit bound at 0 so that a pull does not re-send the
 * writes before it (which would hide what these tests are about).
 */
import { describe, expect, it } from "vitest";
import { SyncReplica } from "../../local/test-support/sync-replica.js";
import { useRepository } from "./repository-fixture.js";
import { ListRepository, SyncReader } from "../src/index.js";

const fixture = useRepository();

describe("SyncReader", () => {
  it("a list's tombstone reports every task still in it as deleted, though their writes lie before the cursor", async () => {
    const user = "user-tombstone";
    const lists = new ListRepository(fixture.db, fixture.tables.todos);
    const reader = new SyncReader(fixture.db, fixture.tables.todos, { lateCommitBoundMs: 0 });
    const doomed = await lists.create(user, { name: "Doomed" });
    const tasks = await Promise.all([0, 1, 2].map((i) => fixture.repo.create(user, { title: `t${i}`, listId: doomed.id })));
    const replica = new SyncReplica();
    await replica.pull((since) => reader.read(user, since));
    expect(replica.todos.size).toBe(3);
    // Wait until the cursor lies after the creates' entries, then delete the list with no time for its purge.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await replica.pull((since) => reader.read(user, since));
    expect((await lists.remove(user, doomed.id, { outOfTime: () => true })).purged).toBe(false);
    const [page] = await replica.pull((since) => reader.read(user, since));
    expect(page!.changes.map((c) => `${c.kind}:${c.id}:${c.deleted}`).sort()).toEqual(
      [`list:${doomed.id}:true`, ...tasks.map((t) => `todo:${t.id}:true`)].sort(),
    );
    expect(replica.todos.size).toBe(0);
  });
});
