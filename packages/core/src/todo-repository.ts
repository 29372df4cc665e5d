/**
 * The Todos table, read and written only through this repository. Every key includes the caller's
 * user id, every write is conditional: no write recreates a deleted task, no concurrent update is
 * lost when the caller names the version it read, and a per-user counter caps how many tasks a
 * user keeps.
 */
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import type { CreateTodoInput, ListTodosQuery, PatchTodoInput, Todo, TodoPage } from "./contract.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { NotFoundError, TooManyTodosError, VersionConflictError } from "./errors.js";
import { TODOS_TABLE, newTodoId, todoKey, type TodoKey } from "./keys.js";

export const DEFAULT_MAX_TODOS_PER_USER = 10_000;

/**
 * Each user's task counter lives in their own partition under a sort key that sorts before every
 * ULID ('#' < '0'), so listing tasks is a range query from FIRST_TODO_ID that never sees it.
 */
const COUNTER_SORT_KEY = "#counter";
const FIRST_TODO_ID = "0";
/** A filtered list reads at most this many pages before answering with what it has and a cursor. */
const MAX_PAGES_PER_FILTERED_LIST = 4;
const FILTERED_PAGE_SIZE = 250;
/** DynamoDB allows 100 items per transaction: 99 deletes and the counter. */
const DELETES_PER_TRANSACTION = 99;
const TRANSACTION_ATTEMPTS = 5;

export interface StoredTodo extends TodoKey {
  title: string;
  completed: boolean;
  order: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface WriteOptions {
  /** The version the caller last read (If-Match); the write fails with a conflict if it moved on. */
  expectedVersion?: number;
}

export interface TodoRepositoryOptions {
  maxTodosPerUser?: number;
  now?: () => Date;
}

export function toTodo(item: StoredTodo): Todo {
  return {
    id: item.todoId,
    title: item.title,
    completed: item.completed,
    order: item.order,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
}

export class TodoRepository {
  private readonly maxTodosPerUser: number;
  private readonly now: () => Date;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: TodoRepositoryOptions = {},
  ) {
    this.maxTodosPerUser = options.maxTodosPerUser ?? DEFAULT_MAX_TODOS_PER_USER;
    this.now = options.now ?? (() => new Date());
  }

  async create(userId: string, input: CreateTodoInput): Promise<Todo> {
    const now = this.now();
    const timestamp = now.toISOString();
    const item: StoredTodo = {
      ...todoKey(userId, newTodoId(now)),
      title: input.title,
      completed: input.completed ?? false,
      order: input.order ?? now.getTime(),
      createdAt: timestamp,
      updatedAt: timestamp,
      version: 1,
    };
    try {
      await this.transact(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: item,
                ConditionExpression: "attribute_not_exists(todoId)",
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: this.counterKey(userId),
                UpdateExpression: "ADD todoCount :one",
                ConditionExpression: "attribute_not_exists(todoCount) OR todoCount < :max",
                ExpressionAttributeValues: { ":one": 1, ":max": this.maxTodosPerUser },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (cancellationCode(error, 1) === "ConditionalCheckFailed") {
        throw new TooManyTodosError(this.maxTodosPerUser);
      }
      throw error;
    }
    return toTodo(item);
  }

  async get(userId: string, todoId: string): Promise<Todo> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: todoKey(userId, todoId), ConsistentRead: true }),
    );
    if (!Item) throw new NotFoundError();
    return toTodo(Item as StoredTodo);
  }

  /**
   * A page of the user's tasks, oldest first. Without a filter it reads exactly one item more
   * than the page to know whether another page exists. With a filter, DynamoDB applies `Limit`
   * before the filter, so it reads larger pages, a bounded number of times, and hands back a
   * cursor where it stopped: a page may then hold fewer items than asked although more follow.
   */
  async list(userId: string, query: ListTodosQuery): Promise<TodoPage> {
    const filtered = query.completed !== undefined;
    const items: StoredTodo[] = [];
    let startAfter = query.cursor === undefined ? undefined : decodeCursor(userId, query.cursor);
    for (let pages = 1; ; pages++) {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "#pk = :userId AND #sk >= :first",
          ExpressionAttributeNames: {
            "#pk": TODOS_TABLE.partitionKey,
            "#sk": TODOS_TABLE.sortKey,
            ...(filtered ? { "#completed": "completed" } : {}),
          },
          ExpressionAttributeValues: {
            ":userId": userId,
            ":first": FIRST_TODO_ID,
            ...(filtered ? { ":completed": query.completed } : {}),
          },
          ...(filtered ? { FilterExpression: "#completed = :completed" } : {}),
          ExclusiveStartKey: startAfter === undefined ? undefined : todoKey(userId, startAfter),
          Limit: filtered ? FILTERED_PAGE_SIZE : query.limit + 1 - items.length,
        }),
      );
      items.push(...((result.Items ?? []) as StoredTodo[]));
      if (items.length > query.limit) {
        const page = items.slice(0, query.limit);
        return { items: page.map(toTodo), nextCursor: encodeCursor(userId, page[page.length - 1]!.todoId) };
      }
      const lastKey = result.LastEvaluatedKey as TodoKey | undefined;
      if (lastKey === undefined) return { items: items.map(toTodo), nextCursor: null };
      if (pages >= MAX_PAGES_PER_FILTERED_LIST) {
        return { items: items.map(toTodo), nextCursor: encodeCursor(userId, lastKey.todoId) };
      }
      startAfter = lastKey.todoId;
    }
  }

  async patch(userId: string, todoId: string, changes: PatchTodoInput, options: WriteOptions = {}): Promise<Todo> {
    const condition = existsWithVersion(options.expectedVersion);
    const names: Record<string, string> = { ...condition.names, "#version": "version" };
    const values: Record<string, unknown> = { ...condition.values, ":one": 1, ":now": this.now().toISOString() };
    const assignments = ["updatedAt = :now"];
    for (const field of ["title", "completed", "order"] as const) {
      if (changes[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = changes[field];
      assignments.push(`#${field} = :${field}`);
    }
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: todoKey(userId, todoId),
          UpdateExpression: `SET ${assignments.join(", ")} ADD #version :one`,
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return toTodo(Attributes as StoredTodo);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw conflictOrNotFound(error.Item);
      throw error;
    }
  }

  async remove(userId: string, todoId: string, options: WriteOptions = {}): Promise<void> {
    const condition = existsWithVersion(options.expectedVersion);
    try {
      await this.transact(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: todoKey(userId, todoId),
                ConditionExpression: condition.expression,
                ExpressionAttributeNames: condition.names,
                ...(Object.keys(condition.values).length > 0 ? { ExpressionAttributeValues: condition.values } : {}),
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
            this.counterChange(userId, -1),
          ],
        }),
      );
    } catch (error) {
      if (cancellationCode(error, 0) === "ConditionalCheckFailed") throw conflictOrNotFound(cancellationItem(error, 0));
      throw error;
    }
  }

  /**
   * Deletes the user's completed tasks, up to 99 per transaction together with one change of the
   * counter (so that clearing a long list is a few transactions, not one per task contending for
   * the counter). Each delete is conditional on the task still being completed: a task
   * un-completed meanwhile is kept (a BatchWriteItem could not carry that condition) — its
   * transaction is cancelled and retried without it. The count is of tasks actually deleted. A
   * failure after some transactions is thrown as is; the operation is idempotent, so a retry
   * finishes the job.
   */
  async removeCompleted(userId: string): Promise<{ deleted: number }> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "#pk = :userId AND #sk >= :first",
          FilterExpression: "#completed = :true",
          ProjectionExpression: "#sk",
          ExpressionAttributeNames: {
            "#pk": TODOS_TABLE.partitionKey,
            "#sk": TODOS_TABLE.sortKey,
            "#completed": "completed",
          },
          ExpressionAttributeValues: { ":userId": userId, ":first": FIRST_TODO_ID, ":true": true },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) ids.push((item as TodoKey).todoId);
      startKey = result.LastEvaluatedKey;
    } while (startKey);

    let deleted = 0;
    for (let i = 0; i < ids.length; i += DELETES_PER_TRANSACTION) {
      deleted += await this.deleteStillCompleted(userId, ids.slice(i, i + DELETES_PER_TRANSACTION));
    }
    return { deleted };
  }

  /** Deletes those of `todoIds` that are still completed, in one transaction; returns how many. */
  private async deleteStillCompleted(userId: string, todoIds: string[]): Promise<number> {
    let pending = todoIds;
    for (let attempt = 1; pending.length > 0; attempt++) {
      try {
        await this.transact(
          new TransactWriteCommand({
            TransactItems: [
              ...pending.map((todoId) => ({
                Delete: {
                  TableName: this.tableName,
                  Key: todoKey(userId, todoId),
                  ConditionExpression: "attribute_exists(#sk) AND #completed = :true",
                  ExpressionAttributeNames: { "#sk": TODOS_TABLE.sortKey, "#completed": "completed" },
                  ExpressionAttributeValues: { ":true": true },
                },
              })),
              this.counterChange(userId, -pending.length),
            ],
          }),
        );
        return pending.length;
      } catch (error) {
        const reasons = cancellationReasons(error);
        const changed = new Set(pending.filter((_, index) => reasons[index]?.Code === "ConditionalCheckFailed"));
        if (changed.size === 0 || attempt >= TRANSACTION_ATTEMPTS) throw error;
        pending = pending.filter((todoId) => !changed.has(todoId));
      }
    }
    return 0;
  }

  private counterChange(userId: string, by: number) {
    return {
      Update: {
        TableName: this.tableName,
        Key: this.counterKey(userId),
        UpdateExpression: "ADD todoCount :by",
        ExpressionAttributeValues: { ":by": by },
      },
    };
  }

  /**
   * Writes to one user's counter serialise; on DynamoDB, transactions that touch it at the same
   * moment are cancelled with TransactionConflict, which the SDK does not retry. Retry those a few
   * times with jittered backoff, then let the transient error surface (503, retry later).
   */
  private async transact(command: TransactWriteCommand): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(command);
        return;
      } catch (error) {
        const conflict = cancellationReasons(error).some((reason) => reason.Code === "TransactionConflict");
        if (!conflict || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await sleep(Math.random() * 25 * 2 ** attempt);
      }
    }
  }

  private counterKey(userId: string): TodoKey {
    return todoKey(userId, COUNTER_SORT_KEY);
  }
}

interface Condition {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** The task exists and, when the caller names one, still has the version the caller read. */
function existsWithVersion(expectedVersion: number | undefined): Condition {
  const condition: Condition = {
    expression: "attribute_exists(#sk)",
    names: { "#sk": TODOS_TABLE.sortKey },
    values: {},
  };
  if (expectedVersion !== undefined) {
    condition.expression += " AND #version = :expectedVersion";
    condition.names["#version"] = "version";
    condition.values[":expectedVersion"] = expectedVersion;
  }
  return condition;
}

function conflictOrNotFound(current: Record<string, AttributeValue> | undefined): Error {
  const version = current?.version?.N;
  return version === undefined ? new NotFoundError() : new VersionConflictError(Number(version));
}

function cancellationReasons(error: unknown) {
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
}

function cancellationCode(error: unknown, index: number): string | undefined {
  return cancellationReasons(error)[index]?.Code;
}

function cancellationItem(error: unknown, index: number): Record<string, AttributeValue> | undefined {
  return cancellationReasons(error)[index]?.Item;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
