/**
 * `GET /sync` (DESIGN.md, "Sync (pull)"): a snapshot of the user's live lists and tasks, then
 * the changes after a log position, read from the sync log (sync-log.ts).
 *
 * Why nothing is missed: a log entry is committed in the same transaction as its change, at most
 * `lateCommitBoundMs` after its id's time. A cursor handed out is never later than "the time the
 * read began − the bound", so an entry not yet committed when the log was read has an id after
 * the cursor and is read next time. The price: entries of the last `bound` are sent again on
 * the next pull — a client applies changes idempotently (each change carries the whole current
 * item, or a delete).
 *
 * Why nothing resurrects: a change is reported with the item as it is *now* (a strongly
 * consistent BatchGetItem after the log was read); an item that is gone, or a task whose list is
 * tombstoned, is reported deleted. A list's tombstone also reports every task still in it as
 * deleted (its purge may finish later, in another request, and logs them again).
 *
 * The snapshot's final cursor is the log position "snapshot start − bound": every change made
 * while its pages were read is in the log after it.
 */
import { QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEFAULT_LIST_ID, type SyncChange, type SyncPage } from "./contract.js";
import { batchGetBySortKey } from "./batch-get.js";
import { CursorExpiredError } from "./errors.js";
import { listKey, membershipRange, rangeCondition, TODO_RANGE, todoIdOfMembership, todoKey, type TodoKey } from "./keys.js";
import { isLive, ListItems, toList, virtualDefaultList, type StoredList } from "./list-items.js";
import {
  changedRefsOfEntry,
  decodeSyncPosition,
  encodeSyncPosition,
  LATE_COMMIT_BOUND_MS,
  logEntryIdOfKey,
  logEntryTime,
  logPositionBefore,
  SYNC_LOG_RANGE,
  SYNC_LOG_RETENTION_SECONDS,
  syncCursorAfter,
  syncLogKey,
  type ChangedRef,
  type StoredLogEntry,
} from "./sync-log.js";
import { toTodo, type StoredTodo } from "./todo-repository.js";

/** Tasks per snapshot page: ≤ ~2.3 MB even with 4 000-character notes (Lambda answers ≤ 6 MB). */
const SNAPSHOT_PAGE_TASKS = 500;
/** A page of changes names at most this many items, plus the rest of its last entry (≤ 99). */
const CHANGES_PER_PAGE = 500;
const ENTRIES_PER_QUERY = 100;

export interface SyncReaderOptions {
  now?: () => number;
  /** For tests only: the property test breaks it on purpose. */
  lateCommitBoundMs?: number;
  snapshotPageTasks?: number;
  changesPerPage?: number;
}

export class SyncReader {
  private readonly now: () => number;
  private readonly bound: number;
  private readonly snapshotPageTasks: number;
  private readonly changesPerPage: number;
  private readonly lists: ListItems;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: SyncReaderOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.bound = options.lateCommitBoundMs ?? LATE_COMMIT_BOUND_MS;
    this.snapshotPageTasks = options.snapshotPageTasks ?? SNAPSHOT_PAGE_TASKS;
    this.changesPerPage = options.changesPerPage ?? CHANGES_PER_PAGE;
    this.lists = new ListItems(db, tableName);
  }

  async read(userId: string, since?: string): Promise<SyncPage> {
    const now = this.now();
    const safeNow = logPositionBefore(now - this.bound);
    if (since === undefined) return this.snapshot(userId, safeNow, undefined);
    const position = decodeSyncPosition(userId, since);
    if (logEntryTime(position.log) < now - SYNC_LOG_RETENTION_SECONDS * 1000) throw new CursorExpiredError();
    if (position.snap !== undefined) return this.snapshot(userId, position.log, position.snap);
    // A read's first page fixes the position its last page answers: never later than the bound
    // allows at that moment, never earlier than where the client already was.
    const safe = position.safe ?? (position.log > safeNow ? position.log : safeNow);
    return this.changesAfter(userId, position.log, safe);
  }

  /** Every live list (first page only) and a page of live tasks in id order, after `afterTask`. */
  private async snapshot(userId: string, log: string, afterTask: string | undefined): Promise<SyncPage> {
    const lists = await this.lists.readAll(userId);
    const live = new Set(lists.filter(isLive).map((list) => list.listId));
    const changes: SyncChange[] = [];
    if (afterTask === undefined) {
      for (const list of lists.filter(isLive)) changes.push({ kind: "list", id: list.listId, deleted: false, item: toList(list) });
      if (!live.has(DEFAULT_LIST_ID)) changes.push({ kind: "list", id: DEFAULT_LIST_ID, deleted: false, item: virtualDefaultList() });
    }
    let startKey: TodoKey | undefined = afterTask === undefined ? undefined : todoKey(userId, afterTask);
    let tasks = 0;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...rangeCondition(userId, TODO_RANGE),
          ConsistentRead: true,
          Limit: this.snapshotPageTasks - tasks,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of (result.Items ?? []) as StoredTodo[]) {
        if (item.listId !== undefined && !live.has(item.listId)) continue;
        changes.push({ kind: "todo", id: item.todoId, deleted: false, item: toTodo(item) });
        tasks++;
      }
      startKey = result.LastEvaluatedKey as TodoKey | undefined;
    } while (startKey && tasks < this.snapshotPageTasks);
    if (!startKey) return { changes, cursor: syncCursorAfter(userId, log), hasMore: false };
    return { changes, cursor: encodeSyncPosition(userId, { log, snap: startKey.todoId }), hasMore: true };
  }

  /** The items named by the log entries after `after`, as they are now, and where to go on. */
  private async changesAfter(userId: string, after: string, safe: string): Promise<SyncPage> {
    const refs = new Map<string, ChangedRef>();
    let last = after;
    let full = false;
    let startKey: TodoKey = syncLogKey(userId, after);
    read: for (;;) {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...rangeCondition(userId, { from: startKey.todoId, to: SYNC_LOG_RANGE.to }),
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          Limit: ENTRIES_PER_QUERY,
        }),
      );
      for (const entry of (result.Items ?? []) as StoredLogEntry[]) {
        if (refs.size >= this.changesPerPage) {
          full = true;
          break read;
        }
        for (const ref of changedRefsOfEntry(entry)) refs.set(refKey(ref), ref);
        last = logEntryIdOfKey(entry.todoId);
      }
      if (!result.LastEvaluatedKey) break;
      startKey = result.LastEvaluatedKey as TodoKey;
    }
    // Lists first, so that a client meets a task's new list before the task.
    const ordered = [...refs.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "list" ? -1 : 1));
    const changes = await this.currentState(userId, ordered);
    if (full) return { changes, cursor: encodeSyncPosition(userId, { log: last, safe }), hasMore: true };
    return { changes, cursor: syncCursorAfter(userId, safe), hasMore: false };
  }

  private async currentState(userId: string, refs: ChangedRef[]): Promise<SyncChange[]> {
    if (refs.length === 0) return [];
    const keys = refs.map((ref) => (ref.kind === "todo" ? todoKey(userId, ref.id) : listKey(userId, ref.id)));
    const [found, lists] = await Promise.all([
      batchGetBySortKey<StoredTodo | StoredList>(this.db, this.tableName, keys),
      this.lists.readAll(userId),
    ]);
    const live = new Set(lists.filter(isLive).map((list) => list.listId));
    const changes: SyncChange[] = [];
    const reported = new Set<string>();
    const deleted = (ref: ChangedRef) => {
      if (reported.has(refKey(ref))) return;
      reported.add(refKey(ref));
      changes.push({ kind: ref.kind, id: ref.id, deleted: true });
    };
    for (const [index, ref] of refs.entries()) {
      const item = found.get(keys[index]!.todoId);
      if (ref.kind === "list") {
        const list = item as StoredList | undefined;
        if (isLive(list)) changes.push({ kind: "list", id: ref.id, deleted: false, item: toList(list) });
        else if (ref.id === DEFAULT_LIST_ID && list === undefined) changes.push({ kind: "list", id: ref.id, deleted: false, item: virtualDefaultList() });
        else {
          deleted(ref);
          // A tombstone: its tasks are gone from now on, though the purge may not have reached them.
          if (list !== undefined) for (const id of await this.membersOf(userId, ref.id)) deleted({ kind: "todo", id });
        }
        continue;
      }
      const task = item as StoredTodo | undefined;
      if (task !== undefined && (task.listId === undefined || live.has(task.listId))) {
        changes.push({ kind: "todo", id: ref.id, deleted: false, item: toTodo(task) });
      } else {
        deleted(ref);
      }
    }
    return changes;
  }

  private async membersOf(userId: string, listId: string): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...rangeCondition(userId, membershipRange(listId)),
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) ids.push(todoIdOfMembership(listId, (item as TodoKey).todoId));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return ids;
  }
}

function refKey(ref: ChangedRef): string {
  return `${ref.kind}:${ref.id}`;
}
