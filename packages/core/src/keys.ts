/**
 * The key layout of the Todos table, in one place: infra declares the table from it, the
 * repository reads and writes with it, the offline stack creates its table from it.
 */
import { ulid } from "ulid";

export const TODOS_TABLE = {
  partitionKey: "userId",
  sortKey: "todoId",
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

/**
 * Powertools idempotency records (POST /todos with an Idempotency-Key) live in their own table:
 * its key and TTL attribute are the persistence layer's defaults.
 */
export const IDEMPOTENCY_TABLE = {
  partitionKey: "id",
  ttlAttribute: "expiration",
} as const;
