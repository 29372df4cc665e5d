/**
 * The key layout of the Todos table, in one place: infra declares the table from it, the
 * repository reads and writes with it, the offline stack creates its table from it.
 */
import { ulid } from "ulid";

export const TODOS_TABLE = {
  partitionKey: "userId",
  sortKey: "todoId",
  /** Epoch seconds after which DynamoDB TTL removes an item: only sync-log entries carry it. */
  ttlAttribute: "expiresAt",
} as const;

export interface TodoKey {
  userId: string;
  todoId: string;
}

export function todoKey(userId: string, todoId: string): TodoKey {
  return { userId, todoId };
}

/** ULIDs sort by creation time, so a Query on the partition lists tasks oldest first. */
export function newTodoId(now: Date = new Date()): string {
  return ulid(now.getTime());
}

export const newListId = newTodoId;

/**
 * What else lives in a user's partition, under sort keys that sort apart from task ids (a ULID
 * is 26 of [0-9A-Z]; '#' sorts before '0', '~' after 'Z'):
 *
 *   #counter                  todoCount (the task cap), listCount (the list cap)
 *   #list#<listId>            a list (the default list only once renamed or moved); `deletedAt`
 *                             marks a list whose tasks are being purged (a tombstone)
 *   <ULID>                    a task, in the v1 layout; `listId` only when not in the default list
 *   ~in#<listId>#<ULID>       membership of a task in a list other than the default one (keys
 *                             only): GET /todos?listId= is a Query on this range, O(page)
 *   ~log#<ULID>               a sync-log entry: what one write transaction changed (sync-log.ts)
 */
export const SORT_KEYS = {
  counter: "#counter",
  listPrefix: "#list#",
  membershipPrefix: "~in#",
  /** Every task id lies in [firstTodo, lastTodo]; nothing else does. */
  firstTodo: "0",
  lastTodo: "Z".repeat(26),
} as const;

export function counterKey(userId: string): TodoKey {
  return todoKey(userId, SORT_KEYS.counter);
}

export function listKey(userId: string, listId: string): TodoKey {
  return todoKey(userId, `${SORT_KEYS.listPrefix}${listId}`);
}

export function listIdOfKey(sortKey: string): string {
  return sortKey.slice(SORT_KEYS.listPrefix.length);
}

export function membershipPrefix(listId: string): string {
  return `${SORT_KEYS.membershipPrefix}${listId}#`;
}

/**
 * Key ranges as BETWEEN bounds rather than begins_with: the same items, but DynamoDB Local turns
 * begins_with into a scan of the whole partition (a page of one list cost 1.9× at 10 000 tasks).
 */
export function membershipRange(listId: string): { from: string; to: string } {
  const prefix = membershipPrefix(listId);
  return { from: `${prefix}${SORT_KEYS.firstTodo}`, to: `${prefix}${SORT_KEYS.lastTodo}` };
}

/** Every list item: ids are "default" or ULIDs, all between these. */
export const LIST_RANGE = { from: SORT_KEYS.listPrefix, to: `${SORT_KEYS.listPrefix}~` } as const;

/** Every task: task ids are ULIDs, all between these (and nothing else is). */
export const TODO_RANGE = { from: SORT_KEYS.firstTodo, to: SORT_KEYS.lastTodo } as const;

/**
 * The key condition of a Query of one sort-key range of a user's partition (tasks, lists, one
 * list's memberships), to spread into a QueryCommand's input; names and values of a filter or a
 * projection are added beside it.
 */
export function rangeCondition(userId: string, range: { from: string; to: string }) {
  return {
    KeyConditionExpression: "#pk = :userId AND #sk BETWEEN :from AND :to",
    ExpressionAttributeNames: { "#pk": TODOS_TABLE.partitionKey, "#sk": TODOS_TABLE.sortKey } as Record<string, string>,
    ExpressionAttributeValues: { ":userId": userId, ":from": range.from, ":to": range.to } as Record<string, unknown>,
  };
}

export function membershipKey(userId: string, listId: string, todoId: string): TodoKey {
  return todoKey(userId, `${membershipPrefix(listId)}${todoId}`);
}

export function todoIdOfMembership(listId: string, sortKey: string): string {
  return sortKey.slice(membershipPrefix(listId).length);
}

/**
 * Powertools idempotency records (POST /todos with an Idempotency-Key) live in their own table:
 * its key and TTL attribute are the persistence layer's defaults.
 */
export const IDEMPOTENCY_TABLE = {
  partitionKey: "id",
  ttlAttribute: "expiration",
} as const;

/** The live connections table (connection-repository.ts); here so that infra can import it without the SDK. */
export const CONNECTIONS_TABLE = {
  partitionKey: "userId",
  sortKey: "connectionId",
  ttlAttribute: "expiresAt",
} as const;
