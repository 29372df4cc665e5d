import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, ValidationError } from "../src/index.js";
import {
  changedRefOfKey,
  changedRefsOfEntry,
  decodeSyncPosition,
  encodeSyncPosition,
  logEntryItem,
  logEntryTime,
  logPositionBefore,
  decodeSyncCursor,
  isSyncLogKey,
  logEntryIdOfKey,
  newLogEntryId,
  SORT_KEYS,
  SYNC_LOG_RANGE,
  syncCursorAfter,
  syncLogKey,
} from "../src/index.js";

describe("sync log keys", () => {
  it("sort apart from tasks, lists, memberships and the counter", () => {
    const entry = syncLogKey("u", newLogEntryId()).todoId;
    expect(isSyncLogKey(entry)).toBe(true);
    expect(entry > SORT_KEYS.lastTodo).toBe(true);
    expect(entry > `${SORT_KEYS.membershipPrefix}${"Z".repeat(26)}#${"Z".repeat(26)}`).toBe(true);
    expect(entry >= SYNC_LOG_RANGE.from && entry <= SYNC_LOG_RANGE.to).toBe(true);
    for (const other of [SORT_KEYS.counter, `${SORT_KEYS.listPrefix}default`, newLogEntryId()]) {
      expect(isSyncLogKey(other)).toBe(false);
    }
  });

  it("entry ids sort by the time they were taken", () => {
    const earlier = newLogEntryId(new Date("2026-01-01T00:00:00Z"));
    const later = newLogEntryId(new Date("2026-01-01T00:00:01Z"));
    expect(earlier < later).toBe(true);
    expect(logEntryIdOfKey(syncLogKey("u", later).todoId)).toBe(later);
  });
});

describe("sync cursors", () => {
  it("round-trip for the user they were issued to", () => {
    const id = newLogEntryId();
    expect(decodeSyncCursor("alice", syncCursorAfter("alice", id))).toBe(id);
  });

  it("are refused for another user, when forged, or when they are a list cursor", () => {
    const id = newLogEntryId();
    const forged = Buffer.from(JSON.stringify({ log: "not-an-id", for: "x" })).toString("base64url");
    for (const bad of [syncCursorAfter("bob", id), forged, "%%%", encodeCursor("alice", id)]) {
      expect(() => decodeSyncCursor("alice", bad)).toThrow(ValidationError);
    }
    expect(() => decodeCursor("alice", syncCursorAfter("alice", id))).toThrow(ValidationError);
  });
});

describe("sync positions", () => {
  it("a position before a time lies before every entry taken at or after it, and after every earlier one", () => {
    const at = Date.parse("2026-06-01T12:00:00.000Z");
    const position = logPositionBefore(at);
    for (let i = 0; i < 50; i++) {
      expect(newLogEntryId(new Date(at)) > position).toBe(true);
      expect(newLogEntryId(new Date(at - 1)) <= position).toBe(true);
    }
    expect(logEntryTime(position)).toBe(at - 1);
  });

  it("continuations round-trip, and a plain cursor is the position after its entry", () => {
    const log = newLogEntryId();
    const snap = newLogEntryId();
    expect(decodeSyncPosition("alice", encodeSyncPosition("alice", { log, snap }))).toEqual({ log, snap });
    expect(decodeSyncPosition("alice", encodeSyncPosition("alice", { log, safe: log }))).toEqual({ log, safe: log });
    expect(decodeSyncPosition("alice", syncCursorAfter("alice", log))).toEqual({ log });
    expect(() => decodeSyncPosition("bob", encodeSyncPosition("alice", { log, snap }))).toThrow(ValidationError);
  });

  it("a log entry names tasks and lists, never the counter or memberships", () => {
    const task = newLogEntryId();
    expect(changedRefOfKey(task)).toEqual({ kind: "todo", id: task });
    expect(changedRefOfKey("#list#default")).toEqual({ kind: "list", id: "default" });
    for (const other of ["#counter", `~in#${task}#${task}`, syncLogKey("u", task).todoId]) expect(changedRefOfKey(other)).toBeUndefined();
    const entry = logEntryItem("u", task, [{ kind: "todo", id: task }, { kind: "list", id: "default" }]);
    expect(changedRefsOfEntry(entry)).toEqual([{ kind: "list", id: "default" }, { kind: "todo", id: task }]);
  });
});
