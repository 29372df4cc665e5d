/**
 * Which users a batch of table changes must poke, and with what (DESIGN.md, "Live (push)").
 *
 * Every change to a user's data puts a sync-log entry in that user's partition in the same
 * transaction, so inserted log entries alone say who must hear of a change: tasks, lists,
 * memberships and counters need not be looked at. One poke per user per batch is enough — a poke
 * only says "pull /sync"; its cursor is the position after the user's latest entry in the batch
 * (greatest id: the log's own order). The poke never carries task data.
 */
import type { SyncPoke } from "./contract.js";
import { isSyncLogKey, logEntryIdOfKey, syncCursorAfter } from "./sync-log.js";

/** An item a write inserted, by its key, with where it came from (e.g. a stream record). */
export interface InsertedItem<Source> {
  userId: string;
  sortKey: string;
  source: Source;
}

export interface UserPoke<Source> {
  userId: string;
  poke: SyncPoke;
  /** The inserted item holding the user's latest entry: the unit a failed delivery retries. */
  source: Source;
}

export function syncPoke(userId: string, entryId: string): SyncPoke {
  return { type: "sync", cursor: syncCursorAfter(userId, entryId) };
}

export function pokesForInsertedItems<Source>(items: Iterable<InsertedItem<Source>>): UserPoke<Source>[] {
  const latest = new Map<string, { entryId: string; source: Source }>();
  for (const { userId, sortKey, source } of items) {
    if (!isSyncLogKey(sortKey)) continue;
    const entryId = logEntryIdOfKey(sortKey);
    const known = latest.get(userId);
    if (!known || entryId > known.entryId) latest.set(userId, { entryId, source });
  }
  return [...latest].map(([userId, { entryId, source }]) => ({ userId, poke: syncPoke(userId, entryId), source }));
}
