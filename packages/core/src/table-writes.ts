/**
 * The one door every write to the Todos table goes through (both repositories use it): conditional
 * put / update / delete / condition-check items, sent as one transaction.
 *
 * Every transaction also puts one sync-log entry (sync-log.ts) in the same partition, naming the
 * tasks and lists its items put, update or delete — so no write can change what a syncing
 * client sees without a log entry committed with it, and the repositories never mention the log.
 * The entry is the last item (cancellation reasons keep the callers' indexes), takes the slot
 * `RESERVED_ITEMS` keeps free, and gets a fresh id on every attempt: the id's time is the
 * moment the attempt is sent, which is what the late-commit bound is about.
 *
 * Cost (on-demand): every item of a transaction is 2 WCU per KB. `writeUnits` says what a call
 * costs, and the README's table of write costs per route is the sum of these.
 */
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { counterKey, TODOS_TABLE, type TodoKey } from "./keys.js";
import { changedRefOfKey, logEntryItem, newLogEntryId, type ChangedRef } from "./sync-log.js";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** DynamoDB allows 100 items per transaction; one is kept for the sync-log entry. */
export const MAX_TRANSACTION_ITEMS = 100;
export const RESERVED_ITEMS = 1;
export const TRANSACTION_CAPACITY = MAX_TRANSACTION_ITEMS - RESERVED_ITEMS;
const TRANSACTION_ATTEMPTS = 5;

export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/** What a transaction of `items` items (each under 1 KB) costs in write capacity units, its log entry included. */
export function writeUnits(items: number): number {
  return 2 * (items + RESERVED_ITEMS);
}

export class TableWriter {
  constructor(
    readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  put(item: object, condition?: Condition): TransactItem {
    return { Put: { TableName: this.tableName, Item: item as Record<string, unknown>, ...conditionParts(condition) } };
  }

  update(
    key: TodoKey,
    expression: string,
    parts: { names?: Record<string, string>; values?: Record<string, unknown> } = {},
    condition?: Condition,
  ): TransactItem {
    const merged = mergeParts(parts, condition);
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: expression,
        ...(condition ? { ConditionExpression: condition.expression } : {}),
        ...merged,
        ...(condition ? { ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const } : {}),
      },
    };
  }

  delete(key: TodoKey, condition?: Condition): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: key,
        ...conditionParts(condition),
        ...(condition ? { ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const } : {}),
      },
    };
  }

  conditionCheck(key: TodoKey, condition: Condition): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: key,
        ConditionExpression: condition.expression,
        ...mergeParts({}, condition),
      },
    };
  }

  /**
   * The user's counter moved by `todos` tasks and `lists` lists, optionally under a condition (the
   * caps). Every create and delete of a task or list carries one, in its own transaction.
   */
  counterChange(userId: string, by: { todos?: number; lists?: number }, condition?: Condition): TransactItem {
    const additions: string[] = [];
    const values: Record<string, unknown> = {};
    if (by.todos) {
      additions.push("todoCount :todos");
      values[":todos"] = by.todos;
    }
    if (by.lists) {
      additions.push("listCount :lists");
      values[":lists"] = by.lists;
    }
    return this.update(counterKey(userId), `ADD ${additions.join(", ")}`, { values }, condition);
  }

  /**
   * All of `items` or none. Writes to one user's counter serialise; on DynamoDB, transactions that
   * touch it at the same moment are cancelled with TransactionConflict, which the SDK does not
   * retry: retry those a few times with jittered backoff, then let the transient error surface
   * (503, retry later).
   */
  async transact(items: TransactItem[]): Promise<void> {
    if (items.length > TRANSACTION_CAPACITY) {
      throw new Error(`A transaction of ${items.length} items leaves no room for the sync-log entry`);
    }
    const log = changesOf(items);
    for (let attempt = 1; ; attempt++) {
      const entry = log ? [this.put(logEntryItem(log.userId, newLogEntryId(), log.changes))] : [];
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [...items, ...entry] }));
        return;
      } catch (error) {
        const conflict = cancellationReasons(error).some((reason) => reason.Code === "TransactionConflict");
        if (!conflict || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await sleep(Math.random() * 25 * 2 ** attempt);
      }
    }
  }

  /**
   * Writes `units` (a unit is one or more items: a task, its membership) and `extra(kept)` items
   * in one transaction. A unit whose condition failed (changed or gone meanwhile) is dropped and
   * the rest retried; returns the units written. Any other failure is thrown.
   */
  async transactEach<T>(
    units: T[],
    itemsOf: (unit: T) => TransactItem[],
    extra: (kept: T[]) => TransactItem[] = () => [],
  ): Promise<T[]> {
    let kept = units;
    for (let attempt = 1; ; attempt++) {
      const perUnit = kept.map(itemsOf);
      const items = [...perUnit.flat(), ...extra(kept)];
      if (items.length === 0) return kept;
      try {
        await this.transact(items);
        return kept;
      } catch (error) {
        const reasons = cancellationReasons(error);
        let index = 0;
        const failed = new Set<T>();
        perUnit.forEach((unitItems, unit) => {
          for (let i = 0; i < unitItems.length; i++, index++) {
            if (reasons[index]?.Code === "ConditionalCheckFailed") failed.add(kept[unit]!);
          }
        });
        if (failed.size === 0 || attempt >= TRANSACTION_ATTEMPTS) throw error;
        kept = kept.filter((unit) => !failed.has(unit));
      }
    }
  }
}

/**
 * The partition and the tasks and lists a transaction writes (condition checks change nothing;
 * counter and membership items are always written beside their task or list).
 */
function changesOf(items: TransactItem[]): { userId: string; changes: ChangedRef[] } | undefined {
  let userId: string | undefined;
  const changes = new Map<string, ChangedRef>();
  for (const item of items) {
    const key = (item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key) as TodoKey | undefined;
    if (!key) continue;
    const ref = changedRefOfKey(key[TODOS_TABLE.sortKey]);
    if (!ref) continue;
    if (userId !== undefined && key.userId !== userId) throw new Error("A transaction writes one user's partition");
    userId = key.userId;
    changes.set(`${ref.kind}:${ref.id}`, ref);
  }
  return userId === undefined ? undefined : { userId, changes: [...changes.values()] };
}

function conditionParts(condition: Condition | undefined) {
  if (!condition) return {};
  return { ConditionExpression: condition.expression, ...mergeParts({}, condition) };
}

function mergeParts(
  parts: { names?: Record<string, string>; values?: Record<string, unknown> },
  condition: Condition | undefined,
) {
  const names = { ...parts.names, ...condition?.names };
  const values = { ...parts.values, ...condition?.values };
  return {
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  };
}

/**
 * A patch reads an item and writes it conditional on the version read. Without If-Match, losing
 * that race to another write means reading again and going again: each loss is another write's
 * win, so 20 concurrent patches all apply (each at most 19 losses); the function's deadline
 * bounds the rest.
 */
export const LOST_RACE_ATTEMPTS = 50;

/** Jittered, growing a little with each loss, so racing writers spread out. */
export function afterLostRace(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(5 * attempt, 50));
}

export function cancellationReasons(error: unknown) {
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
}

export function cancellationCode(error: unknown, index: number): string | undefined {
  return cancellationReasons(error)[index]?.Code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
