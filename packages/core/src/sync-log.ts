/**
 * The per-user sync log: where its entries live and how a position in it is named.
 *
 * Every write transaction also puts one log entry in the writer's partition, under
 * `~log#<entryId>` (sorts after every task id and every `~in#` membership). The entry id is a ULID
 * taken when the write is prepared, so entries sort by that time. An entry expires by TTL after
 * `SYNC_LOG_RETENTION_SECONDS`; a reader holding an older position gets 410 CURSOR_EXPIRED.
 *
 * The late-commit bound: an entry is committed at most `LATE_COMMIT_BOUND_MS` after its id's time
 * (a write runs inside one Lambda invocation, whose timeout is far shorter). A reader therefore
 * never moves its position past "now − bound": an entry that commits late still lies after it.
 *
 * The live socket's poke names a position too (`{"type":"sync","cursor"}`): the fan-out makes
 * it from the inserted entry with `syncCursorAfter`.
 */
import { ulid } from "ulid";
import * as z from "zod";
import { decodeTaggedCursor, encodeTaggedCursor } from "./cursor.js";
import { todoKey, type TodoKey } from "./keys.js";

export const SYNC_LOG_PREFIX = "~log#";
export const SYNC_LOG_RETENTION_SECONDS = 7 * 24 * 60 * 60;
export const LATE_COMMIT_BOUND_MS = 30_000;

/** Every log entry of a partition lies in this sort-key range, and nothing else does. */
export const SYNC_LOG_RANGE = { from: `${SYNC_LOG_PREFIX}0`, to: `${SYNC_LOG_PREFIX}${"Z".repeat(26)}` } as const;

export function newLogEntryId(now: Date = new Date()): string {
  return ulid(now.getTime());
}

export function syncLogKey(userId: string, entryId: string): TodoKey {
  return todoKey(userId, `${SYNC_LOG_PREFIX}${entryId}`);
}

export function isSyncLogKey(sortKey: string): boolean {
  return sortKey.startsWith(SYNC_LOG_PREFIX);
}

export function logEntryIdOfKey(sortKey: string): string {
  return sortKey.slice(SYNC_LOG_PREFIX.length);
}

const LogEntryId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "must be a log entry id");

/** A position after the entry `entryId`: what a poke carries and what `/sync?since=` accepts. */
export function syncCursorAfter(userId: string, entryId: string): string {
  return encodeTaggedCursor(userId, { log: entryId });
}

/** The entry id a sync cursor continues after; 400 if `userId` was not issued `cursor`. */
export function decodeSyncCursor(userId: string, cursor: string): string {
  return decodeTaggedCursor(userId, cursor, { log: LogEntryId }, "since").log;
}
