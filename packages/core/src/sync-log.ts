/**
 * The per-user sync log: where its entries live and how a position in it is named.
 *
 * Every write transaction also puts one log entry in the writer's partition, under
 * `~log#<entryId>` (sorts after every task id and every `~in#` membership). The entry id is a ULID
 * taken just before the transaction is sent (table-writes.ts, afresh on each attempt), so entries
 * sort by that time. An entry expires by TTL after
 * `SYNC_LOG_RETENTION_SECONDS`; a reader holding an older position gets 410 CURSOR_EXPIRED.
 *
 * The late-commit bound: an entry is committed at most `LATE_COMMIT_BOUND_MS` after its id's time
 * (a write runs inside one Lambda invocation, whose timeout is far shorter). A reader therefore
 * never moves its position past "now − bound": an entry that commits late still lies after it.
 *
 * The live socket's poke names a position too (`{"type":"sync","cursor"}`): the fan-out makes
 * it from the inserted entry with `syncCursorAfter`.
 */
import { decodeTime, encodeTime, ulid } from "ulid";
import * as z from "zod";
import { TodoId } from "./contract.js";
import { decodeTaggedCursor, encodeTaggedCursor } from "./cursor.js";
import { SORT_KEYS, todoKey, TODOS_TABLE, type TodoKey } from "./keys.js";

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

/**
 * Where a paged read goes on. `log` is always a log position (the entry id to continue after);
 * a page that is not the last one also carries either `snap` (a snapshot: the task id to go on
 * after, and `log` its final position) or `safe` (a read of the log: the position its last page
 * answers, taken when its first page was read — see sync-reader.ts).
 */
export interface SyncPosition {
  log: string;
  snap?: string;
  safe?: string;
}

const SYNC_POSITION = { log: LogEntryId, snap: TodoId.optional(), safe: LogEntryId.optional() };

export function encodeSyncPosition(userId: string, position: SyncPosition): string {
  return encodeTaggedCursor(userId, { ...position });
}

/** Any cursor `/sync` issued to `userId`; 400 otherwise. */
export function decodeSyncPosition(userId: string, cursor: string): SyncPosition {
  const { log, snap, safe } = decodeTaggedCursor(userId, cursor, SYNC_POSITION, "since");
  return { log, ...(snap !== undefined ? { snap } : {}), ...(safe !== undefined ? { safe } : {}) };
}

/** The entry id a sync cursor continues after; 400 if `userId` was not issued `cursor`. */
export function decodeSyncCursor(userId: string, cursor: string): string {
  return decodeSyncPosition(userId, cursor).log;
}

/** One thing a write changed, as a log entry names it and `/sync` reports it. */
export interface ChangedRef {
  kind: "todo" | "list";
  id: string;
}

const TASK_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * What the item at `sortKey` is to a syncing reader: a task, a list, or nothing (the counter, a
 * membership: their changes are always written beside the task's or list's own).
 */
export function changedRefOfKey(sortKey: string): ChangedRef | undefined {
  if (TASK_ID.test(sortKey)) return { kind: "todo", id: sortKey };
  if (sortKey.startsWith(SORT_KEYS.listPrefix)) return { kind: "list", id: sortKey.slice(SORT_KEYS.listPrefix.length) };
  return undefined;
}

/**
 * A log entry as stored: the ids changed, as string sets (26 bytes a task id, so even a
 * transaction of 99 tasks makes an entry of ~3 KB, far from the 400 KB item limit), and the
 * expiry. It expires a little after the retention: a cursor up to the late-commit bound behind
 * "now" still finds every entry after it.
 */
export interface StoredLogEntry extends TodoKey {
  todos?: Set<string>;
  lists?: Set<string>;
  expiresAt: number;
}

export function logEntryItem(userId: string, entryId: string, changes: readonly ChangedRef[]): StoredLogEntry {
  const todos = new Set(changes.filter((c) => c.kind === "todo").map((c) => c.id));
  const lists = new Set(changes.filter((c) => c.kind === "list").map((c) => c.id));
  return {
    ...syncLogKey(userId, entryId),
    ...(todos.size ? { todos } : {}),
    ...(lists.size ? { lists } : {}),
    [TODOS_TABLE.ttlAttribute]: Math.ceil((logEntryTime(entryId) + LATE_COMMIT_BOUND_MS) / 1000) + SYNC_LOG_RETENTION_SECONDS,
  } as StoredLogEntry;
}

export function changedRefsOfEntry(entry: StoredLogEntry): ChangedRef[] {
  return [
    ...[...(entry.lists ?? [])].map((id) => ({ kind: "list" as const, id })),
    ...[...(entry.todos ?? [])].map((id) => ({ kind: "todo" as const, id })),
  ];
}

export function logEntryTime(entryId: string): number {
  return decodeTime(entryId);
}

/**
 * The position just before every entry whose id was taken at or after `ms`: the largest id of
 * the millisecond before (ULIDs are 10 time characters and 16 random ones).
 */
export function logPositionBefore(ms: number): string {
  return `${encodeTime(ms - 1, 10)}${"Z".repeat(16)}`;
}
