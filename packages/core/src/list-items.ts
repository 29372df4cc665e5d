/**
 * List items as stored, and the reads both repositories need: is a list live (it exists and is
 * not being deleted), and which of a user's lists are live. A list being deleted keeps its item,
 * with `deletedAt` set, until the last of its tasks is purged: every read of tasks checks it, so
 * from the tombstone's write on no read shows any of those tasks.
 */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEFAULT_LIST_ID, DEFAULT_LIST_NAME, type List } from "./contract.js";
import { NotFoundError } from "./errors.js";
import { LIST_RANGE, listIdOfKey, listKey, rangeCondition, TODOS_TABLE, type TodoKey } from "./keys.js";
import type { Condition } from "./table-writes.js";

export interface StoredList extends TodoKey {
  listId: string;
  name: string;
  position: number;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Set when the list was deleted and its tasks are still being purged. */
  deletedAt?: string;
}

/** The default list before anyone renamed or moved it: it has no item. */
export const DEFAULT_LIST_CREATED_AT = new Date(0).toISOString();

export function virtualDefaultList(): List {
  return {
    id: DEFAULT_LIST_ID,
    name: DEFAULT_LIST_NAME,
    position: 0,
    isDefault: true,
    createdAt: DEFAULT_LIST_CREATED_AT,
    updatedAt: DEFAULT_LIST_CREATED_AT,
    version: 1,
  };
}

export function toList(item: StoredList): List {
  return {
    id: item.listId,
    name: item.name,
    position: item.position,
    isDefault: item.listId === DEFAULT_LIST_ID,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
}

/** For a ConditionCheck or a write on a list item: it exists and is not being deleted. */
export const LIST_IS_LIVE: Condition = {
  expression: "attribute_exists(#sk) AND attribute_not_exists(#deletedAt)",
  names: { "#sk": TODOS_TABLE.sortKey, "#deletedAt": "deletedAt" },
};

export function isLive(item: StoredList | undefined): item is StoredList {
  return item !== undefined && item.deletedAt === undefined;
}

export class ListItems {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The stored list (tombstones included); undefined for the default list before its first change. */
  async read(userId: string, listId: string): Promise<StoredList | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: listKey(userId, listId), ConsistentRead: true }),
    );
    return Item as StoredList | undefined;
  }

  /** Whether tasks of `listId` may be shown or written: the default list always is. */
  async isLive(userId: string, listId: string): Promise<boolean> {
    return listId === DEFAULT_LIST_ID || isLive(await this.read(userId, listId));
  }

  /** Every list item of the user, tombstones included (at most 100 live ones, a strongly consistent Query). */
  async readAll(userId: string): Promise<StoredList[]> {
    const items: StoredList[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...rangeCondition(userId, LIST_RANGE),
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((result.Items ?? []) as StoredList[]));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** The ids of the user's live lists other than the default one. */
  async liveIds(userId: string): Promise<Set<string>> {
    const items = await this.readAll(userId);
    return new Set(items.filter(isLive).map((item) => listIdOfKey(item.todoId)));
  }
}

/** Unknown, another user's, or deleted: the same answer (never a 403). */
export const listNotFound = () => new NotFoundError("List not found");
