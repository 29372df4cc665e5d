/**
 * The caller's account as a whole (DESIGN.md, "Account"): everything of it as JSON (GET /export),
 * and closing it (DELETE /account) — every item of the user's partition of the Todos table
 * (tasks, lists, the counter, `~in#` memberships, `~log#` sync-log entries), the user's live
 * connections, then the sign-in identity (the Cognito user).
 *
 * Closing resumes: each step can run again, and the identity goes last, so that a delete cut
 * short (a crash, the function's deadline) is finished by the user's retry with the same token.
 *
 *   1. Mark the account closed in the rate limiter (user-rate-limiter.ts, markClosed): from then
 *      on every request of the user but DELETE /account itself is 401, at no cost per request.
 *   2. Delete the partition in batches, re-reading it from the start until a read finds nothing.
 *      A request that passed its check before the mark may still be writing: the read that ends
 *      the sweep starts no earlier than `inFlightMs` (the API functions' timeout) after the mark.
 *   3. Delete the user's connection rows.
 *   4. Delete the identity (idempotent: an identity already gone is no error).
 *   5. Mark again, from now: a refresh before step 4 could have issued an access token that
 *      lives `tokenLifetimeSeconds` longer than the first mark.
 *
 * Not deleted, because they cannot be found by user and expire by themselves: the rate limit's
 * rows (they are the closed marks, gone by TTL once every token has expired) and idempotency
 * records (keyed by a hash of user and key; Powertools' TTL removes them 24 h after the request).
 */
import { QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchWriteAll } from "./batch-writes.js";
import type { ConnectionRepository } from "./connection-repository.js";
import type { AccountExport, Todo } from "./contract.js";
import { LIST_LIMIT_MAX } from "./contract.js";
import { OutOfTimeError } from "./errors.js";
import { TODOS_TABLE } from "./keys.js";
import type { ListRepository } from "./list-repository.js";
import type { TimeBound, TodoRepository } from "./todo-repository.js";
import type { UserRateLimiter } from "./user-rate-limiter.js";

/** Where the user signs in: deleting the user there is the last step of closing an account. */
export interface IdentityStore {
  /** Deletes the user `username`; resolves as well when there is no such user (any more). */
  deleteUser(username: string): Promise<void>;
}

export interface AccountCloserOptions {
  /** The longest an access token lives (the user pool client's access-token validity). */
  tokenLifetimeSeconds: number;
  /** The longest a request that passed its checks may still write: the API functions' timeout. */
  inFlightMs: number;
  now?: () => number;
}

export interface AccountDeps {
  db: DynamoDBDocumentClient;
  todosTable: string;
  connections: ConnectionRepository;
  limiter: UserRateLimiter;
  identity: IdentityStore;
}

/** GET /export: every live list and every visible task, as the API shows them. */
export async function exportAccount(todos: TodoRepository, lists: ListRepository, userId: string, now = new Date()): Promise<AccountExport> {
  const exportedAt = now.toISOString();
  const [allLists, allTodos] = await Promise.all([lists.all(userId), everyTodo(todos, userId)]);
  return { exportedAt, lists: allLists, todos: allTodos };
}

async function everyTodo(todos: TodoRepository, userId: string): Promise<Todo[]> {
  const found: Todo[] = [];
  let cursor: string | undefined;
  do {
    const page = await todos.list(userId, { limit: LIST_LIMIT_MAX, ...(cursor ? { cursor } : {}) });
    found.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/** Keys read per Query of the sweep: a few batches' worth, so that the deadline is checked often. */
const SWEEP_PAGE = 500;

/** DELETE /account. */
export class AccountCloser {
  private readonly now: () => number;

  constructor(
    private readonly deps: AccountDeps,
    private readonly options: AccountCloserOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
  }

  /**
   * Closes the account of `userId` (signing in as `username`). `closedAt` is when an earlier,
   * unfinished close marked it (the rate limiter says), so that a retry does not wait again.
   * Throws OutOfTimeError when `bound` runs out first: what was done is kept, a retry goes on.
   */
  async close(userId: string, username: string, options: TimeBound & { closedAt?: string } = {}): Promise<{ deletedItems: number }> {
    const closedAt = options.closedAt ? new Date(options.closedAt) : new Date(this.now());
    await this.markClosed(userId, closedAt);
    const deletedItems = await this.sweep(userId, closedAt.getTime() + this.options.inFlightMs, options.outOfTime ?? (() => false));
    await this.deps.connections.removeAll(userId);
    await this.deps.identity.deleteUser(username);
    await this.markClosed(userId, closedAt);
    return { deletedItems };
  }

  private markClosed(userId: string, closedAt: Date): Promise<void> {
    return this.deps.limiter.markClosed(userId, closedAt, this.now() + this.options.tokenLifetimeSeconds * 1000);
  }

  /** Deletes every item of the partition; done when a read started at `quietFrom` or later finds none. */
  private async sweep(userId: string, quietFrom: number, outOfTime: () => boolean): Promise<number> {
    let deleted = 0;
    for (;;) {
      if (outOfTime()) throw new OutOfTimeError(deleted);
      const readAt = this.now();
      const { Items = [] } = await this.deps.db.send(
        new QueryCommand({
          TableName: this.deps.todosTable,
          KeyConditionExpression: "#pk = :userId",
          ProjectionExpression: "#pk, #sk",
          ExpressionAttributeNames: { "#pk": TODOS_TABLE.partitionKey, "#sk": TODOS_TABLE.sortKey },
          ExpressionAttributeValues: { ":userId": userId },
          Limit: SWEEP_PAGE,
          // Strongly consistent: a read that finds nothing must not miss a recent write.
          ConsistentRead: true,
        }),
      );
      if (Items.length === 0) {
        if (readAt >= quietFrom) return deleted;
        await sleep(Math.min(quietFrom - this.now(), 500));
        continue;
      }
      // Plain BatchWriteItem deletes, not TableWriter's transactions: the whole partition goes,
      // its `~log#` sync-log entries with it, so there is no replica left to tell of the change.
      await batchWriteAll(this.deps.db, this.deps.todosTable, Items.map((Key) => ({ DeleteRequest: { Key } })));
      deleted += Items.length;
    }
  }

}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
