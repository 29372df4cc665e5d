import { describe, expect, it } from "vitest";
import {
  counterKey,
  decodeSyncCursor,
  listKey,
  membershipKey,
  newLogEntryId,
  pokesForInsertedItems,
  SyncPoke,
  syncLogKey,
  todoKey,
} from "../src/index.js";

const at = (second: number) => newLogEntryId(new Date(Date.UTC(2026, 0, 1, 0, 0, second)));
const inserted = (key: { userId: string; todoId: string }, source: string) => ({ userId: key.userId, sortKey: key.todoId, source });

describe("pokes for inserted items", () => {
  it("one poke per user, after the user's latest log entry, carried by the item holding it", () => {
    const [a1, a2, a3, b1] = [at(1), at(3), at(2), at(1)];
    const pokes = pokesForInsertedItems([
      inserted(syncLogKey("alice", a1), "r1"),
      inserted(syncLogKey("bob", b1), "r2"),
      inserted(syncLogKey("alice", a2), "r3"),
      // committed after a2 but taken earlier: a2 stays the latest position
      inserted(syncLogKey("alice", a3), "r4"),
    ]);
    expect(pokes).toEqual([
      { userId: "alice", poke: { type: "sync", cursor: expect.any(String) }, source: "r3" },
      { userId: "bob", poke: { type: "sync", cursor: expect.any(String) }, source: "r2" },
    ]);
    expect(decodeSyncCursor("alice", pokes[0]!.poke.cursor)).toBe(a2);
    expect(decodeSyncCursor("bob", pokes[1]!.poke.cursor)).toBe(b1);
    // a poke is the contract's message and nothing more: no task data
    for (const { poke } of pokes) expect(SyncPoke.parse(poke)).toEqual(poke);
  });

  it("a cursor of one user's poke is refused for another user", () => {
    const [alice] = pokesForInsertedItems([inserted(syncLogKey("alice", at(1)), "r")]);
    expect(() => decodeSyncCursor("bob", alice!.poke.cursor)).toThrow();
  });

  it("ignores every item that is not a log entry", () => {
    const id = at(1);
    expect(
      pokesForInsertedItems([
        inserted(todoKey("alice", id), "task"),
        inserted(counterKey("alice"), "counter"),
        inserted(listKey("alice", id), "list"),
        inserted(membershipKey("alice", id, id), "membership"),
      ]),
    ).toEqual([]);
  });
});
