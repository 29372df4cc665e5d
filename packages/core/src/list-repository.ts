/**
 * Lists in the Todos table (items `#list#<listId>` in the user's partition), written through the
 * shared TableWriter. The default list exists without an item until it is first renamed or moved;
 * a per-user counter caps the created lists (100 with the default one), exactly, also when
 * creates race.
 *
 * Deleting a list is never half-visible: one transaction marks the list deleted (a tombstone,
 * `deletedAt`) and frees its slot; from then on every read and write of tasks treats its tasks as
 * gone (todo-repository checks list liveness). Its tasks are then purged, in transactions of up
 * to 49 tasks and their memberships with one counter change, and the tombstone goes last. A
 * purge cut short by the deadline is finished by the next DELETE of any list of the user.
 */
import { QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  DEFAULT_LIST_ID,
  MAX_LISTS_PER_USER,
  type CreateListInput,
  type List,
  type PatchListInput,
} from "./contract.js";
import { DefaultListError, TooManyListsError, VersionConflictError } from "./errors.js";
import { listIdOfKey, listKey, membershipKey, membershipRange, newListId, rangeCondition, TODOS_TABLE, todoIdOfMembership, todoKey, type TodoKey } from "./keys.js";
import { isLive, LIST_IS_LIVE, ListItems, listNotFound, toList, virtualDefaultList, type StoredList } from "./list-items.js";
import {
  afterLostRace,
  cancellationCode,
  cancellationReasons,
  LOST_RACE_ATTEMPTS,
  TableWriter,
  TRANSACTION_CAPACITY,
  type Condition,
} from "./table-writes.js";
import type { TimeBound, WriteOptions } from "./todo-repository.js";

/** A task and its membership are two items; one slot is the counter. */
const TASKS_PER_PURGE_TRANSACTION = Math.floor((TRANSACTION_CAPACITY - 1) / 2);

export interface ListRepositoryOptions {
  now?: () => Date;
  /** Lists per user, the default one included. */
  maxListsPerUser?: number;
}

export class ListRepository {
  private readonly now: () => Date;
  private readonly maxLists: number;
  private readonly writer: TableWriter;
  private readonly lists: ListItems;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: ListRepositoryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.maxLists = options.maxListsPerUser ?? MAX_LISTS_PER_USER;
    this.writer = new TableWriter(db, tableName);
    this.lists = new ListItems(db, tableName);
  }

  /** The user's live lists by position (then id), the default list included. */
  async all(userId: string): Promise<List[]> {
    const stored = await this.lists.readAll(userId);
    const lists = stored.filter(isLive).map(toList);
    if (!lists.some((list) => list.isDefault)) lists.push(virtualDefaultList());
    return lists.sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async create(userId: string, input: CreateListInput): Promise<List> {
    const now = this.now();
    const timestamp = now.toISOString();
    const listId = newListId(now);
    const item: StoredList = {
      ...listKey(userId, listId),
      listId,
      name: input.name,
      position: input.position ?? now.getTime(),
      createdAt: timestamp,
      updatedAt: timestamp,
      version: 1,
    };
    try {
      await this.writer.transact([
        this.writer.put(item, { expression: "attribute_not_exists(#sk)", names: { "#sk": TODOS_TABLE.sortKey } }),
        // The default list is not counted: it always exists.
        this.writer.counterChange(
          userId,
          { lists: 1 },
          { expression: "attribute_not_exists(listCount) OR listCount < :max", values: { ":max": this.maxLists - 1 } },
        ),
      ]);
    } catch (error) {
      if (cancellationCode(error, 1) === "ConditionalCheckFailed") throw new TooManyListsError(this.maxLists);
      throw error;
    }
    return toList(item);
  }

  /**
   * Renames or moves a list: reads it, then writes it in one transaction (with its sync-log
   * entry) conditional on the version read; the default list gets its item on its first change
   * (version 1 → 2). A write that lost a race without If-Match reads again and retries (LOST_RACE_ATTEMPTS).
   */
  async patch(userId: string, listId: string, changes: PatchListInput, options: WriteOptions = {}): Promise<List> {
    const isDefault = listId === DEFAULT_LIST_ID;
    for (let attempt = 1; ; attempt++) {
      const stored = await this.lists.read(userId, listId);
      if (!isDefault && !isLive(stored)) throw listNotFound();
      const current = stored ?? { ...listKey(userId, listId), ...virtualDefaultList(), listId };
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw new VersionConflictError(current.version, "The list has changed since the version you sent");
      }
      const next: StoredList = {
        ...listKey(userId, listId),
        listId,
        name: changes.name ?? current.name,
        position: changes.position ?? current.position,
        createdAt: current.createdAt,
        updatedAt: this.now().toISOString(),
        version: current.version + 1,
      };
      const unchanged: Condition = stored
        ? { expression: `${LIST_IS_LIVE.expression} AND #version = :read`, names: { ...LIST_IS_LIVE.names, "#version": "version" }, values: { ":read": stored.version } }
        : { expression: "attribute_not_exists(#sk)", names: { "#sk": TODOS_TABLE.sortKey } };
      try {
        await this.writer.transact([this.writer.put(next, unchanged)]);
        return toList(next);
      } catch (error) {
        if (cancellationCode(error, 0) !== "ConditionalCheckFailed") throw error;
        if (attempt >= LOST_RACE_ATTEMPTS) throw new VersionConflictError(current.version + 1, "The list has changed since the version you sent");
        // Changed meanwhile: read again; with If-Match the next read names the conflict.
        if (options.expectedVersion === undefined) await afterLostRace(attempt);
      }
    }
  }

  /**
   * Deletes a list and every task in it. The tombstone makes them all invisible at once; the purge
   * then runs until done or until `outOfTime` says so. Deleting a list whose purge is under way finishes it
   * (204 again: it is being deleted); any other purge left behind is finished after it.
   */
  async remove(userId: string, listId: string, bound: TimeBound = {}): Promise<{ purged: boolean }> {
    if (listId === DEFAULT_LIST_ID) throw new DefaultListError();
    const item = await this.lists.read(userId, listId);
    if (!item) throw listNotFound();
    if (isLive(item)) {
      try {
        await this.writer.transact([
          this.writer.update(listKey(userId, listId), "SET #deletedAt = :now", { values: { ":now": this.now().toISOString() } }, LIST_IS_LIVE),
          this.writer.counterChange(userId, { lists: -1 }),
        ]);
      } catch (error) {
        if (cancellationCode(error, 0) !== "ConditionalCheckFailed") throw error;
        // Deleted meanwhile by another request: finish its purge if it is still there.
        if (!cancellationReasons(error)[0]?.Item) throw listNotFound();
      }
    }
    if (!(await this.purge(userId, listId, bound))) return { purged: false };
    for (const other of await this.lists.readAll(userId)) {
      if (other.deletedAt !== undefined && !(await this.purge(userId, listIdOfKey(other.todoId), bound))) {
        return { purged: false };
      }
    }
    return { purged: true };
  }

  /** Deletes the tasks of a tombstoned list, then its tombstone; false when the deadline came first. */
  private async purge(userId: string, listId: string, bound: TimeBound): Promise<boolean> {
    const range = membershipRange(listId);
    for (;;) {
      if (bound.outOfTime?.()) return false;
      const { Items = [] } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...rangeCondition(userId, range),
          Limit: TASKS_PER_PURGE_TRANSACTION,
        }),
      );
      if (Items.length === 0) break;
      await this.deleteTasks(userId, listId, Items.map((m) => todoIdOfMembership(listId, (m as TodoKey).todoId)));
    }
    try {
      await this.writer.transact([
        this.writer.delete(listKey(userId, listId), {
          expression: "attribute_exists(#deletedAt)",
          names: { "#deletedAt": "deletedAt" },
        }),
      ]);
    } catch (error) {
      // Another request finished the same purge first.
      if (cancellationCode(error, 0) !== "ConditionalCheckFailed") throw error;
    }
    return true;
  }

  /**
   * One transaction: the tasks still in the list, every membership (also of tasks deleted
   * meanwhile: their own DELETE took them, or they are stale), the counter by the tasks deleted.
   */
  private async deleteTasks(userId: string, listId: string, todoIds: string[]): Promise<void> {
    const inList: Condition = {
      expression: "attribute_exists(#sk) AND #listId = :listId",
      names: { "#sk": TODOS_TABLE.sortKey, "#listId": "listId" },
      values: { ":listId": listId },
    };
    await this.writer.transactEach(
      todoIds,
      (todoId) => [this.writer.delete(todoKey(userId, todoId), inList)],
      (kept) => [
        ...todoIds.map((todoId) => this.writer.delete(membershipKey(userId, listId, todoId))),
        ...(kept.length ? [this.writer.counterChange(userId, { todos: -kept.length })] : []),
      ],
    );
  }
}
