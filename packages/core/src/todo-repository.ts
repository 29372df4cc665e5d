/**
 * Tasks in the Todos table, read and written only through this repository (writes through the
 * shared TableWriter). Every key includes the caller's user id, every write is conditional: no
 * write recreates a deleted task, no concurrent update is lost when the caller names the version
 * it read, a per-user counter caps how many tasks a user keeps, and no task of a list being
 * deleted is shown or written.
 *
 * Layout (keys.ts): a task is the v1 item at its ULID, with `listId` only when it is not in the
 * default list; a task in another list also has a keys-only membership item `~in#<listId>#<ULID>`
 * written in the same transaction, so a list's page is a Query on that range (O(page)).
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchGetBySortKey } from "./batch-get.js";
import {
  DEFAULT_LIST_ID,
  type BulkCompleteQuery,
  type CreateTodoInput,
  type ListTodosQuery,
  type PatchTodoInput,
  type Todo,
  type TodoPage,
} from "./contract.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { NotFoundError, OutOfTimeError, TooManyTodosError, VersionConflictError } from "./errors.js";
import {
  listKey,
  membershipKey,
  membershipRange,
  rangeCondition,
  TODO_RANGE,
  newTodoId,
  todoIdOfMembership,
  todoKey,
  TODOS_TABLE,
  type TodoKey,
} from "./keys.js";
import { LIST_IS_LIVE, ListItems, listNotFound } from "./list-items.js";
import {
  afterLostRace,
  cancellationCode,
  cancellationReasons,
  LOST_RACE_ATTEMPTS,
  TableWriter,
  TRANSACTION_CAPACITY,
  type Condition,
  type TransactItem,
} from "./table-writes.js";

export const DEFAULT_MAX_TODOS_PER_USER = 10_000;

/** A filtered list reads at most this many pages before answering with what it has and a cursor. */
const MAX_PAGES_PER_FILTERED_LIST = 4;
const FILTERED_PAGE_SIZE = 250;
/** Mark-all transactions in flight at once: they touch disjoint items, so they never conflict. */
const BULK_CONCURRENCY = 4;

export interface StoredTodo extends TodoKey {
  title: string;
  completed: boolean;
  order: number;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** v2 attributes, absent on v1 items and when they hold their default. */
  listId?: string;
  notes?: string;
  due?: string;
  completedAt?: string;
}

export interface WriteOptions {
  /** The version the caller last read (If-Match); the write fails with a conflict if it moved on. */
  expectedVersion?: number;
}

export interface TimeBound {
  /** Asked before each write of a long operation: true when it must stop starting new ones. */
  outOfTime?: () => boolean;
}

export interface TodoRepositoryOptions {
  maxTodosPerUser?: number;
  now?: () => Date;
}

/**
 * A stored task as the API shows it. v1 items get the v2 defaults; a task completed before v2
 * has no `completedAt`, so it shows its last change while completed (`updatedAt`).
 */
export function toTodo(item: StoredTodo): Todo {
  return {
    id: item.todoId,
    title: item.title,
    completed: item.completed,
    order: item.order,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
    listId: item.listId ?? DEFAULT_LIST_ID,
    notes: item.notes ?? "",
    due: item.due ?? null,
    completedAt: item.completed ? (item.completedAt ?? item.updatedAt) : null,
  };
}

/** `listId` as stored: the default list is the absence of the attribute (the v1 layout). */
function storedListId(listId: string | undefined): string | undefined {
  return listId === undefined || listId === DEFAULT_LIST_ID ? undefined : listId;
}

export class TodoRepository {
  private readonly maxTodosPerUser: number;
  private readonly now: () => Date;
  private readonly writer: TableWriter;
  private readonly lists: ListItems;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: TodoRepositoryOptions = {},
  ) {
    this.maxTodosPerUser = options.maxTodosPerUser ?? DEFAULT_MAX_TODOS_PER_USER;
    this.now = options.now ?? (() => new Date());
    this.writer = new TableWriter(db, tableName);
    this.lists = new ListItems(db, tableName);
  }

  /**
   * A task in the default list is the v1 transaction (the task and the counter); in another list
   * it also writes the membership and checks, in the same transaction, that the list is live.
   */
  async create(userId: string, input: CreateTodoInput): Promise<Todo> {
    const now = this.now();
    const timestamp = now.toISOString();
    const completed = input.completed ?? false;
    const listId = storedListId(input.listId);
    const item: StoredTodo = {
      ...todoKey(userId, newTodoId(now)),
      title: input.title,
      completed,
      order: input.order ?? now.getTime(),
      createdAt: timestamp,
      updatedAt: timestamp,
      version: 1,
      ...(listId ? { listId } : {}),
      ...(input.notes ? { notes: input.notes } : {}),
      ...(input.due ? { due: input.due } : {}),
      ...(completed ? { completedAt: timestamp } : {}),
    };
    const items: TransactItem[] = [
      this.writer.put(item, { expression: "attribute_not_exists(#sk)", names: { "#sk": TODOS_TABLE.sortKey } }),
      this.writer.counterChange(
        userId,
        { todos: 1 },
        { expression: "attribute_not_exists(todoCount) OR todoCount < :max", values: { ":max": this.maxTodosPerUser } },
      ),
    ];
    if (listId) {
      items.push(this.writer.conditionCheck(listKey(userId, listId), LIST_IS_LIVE));
      items.push(this.writer.put(membershipKey(userId, listId, item.todoId)));
    }
    try {
      await this.writer.transact(items);
    } catch (error) {
      if (cancellationCode(error, 2) === "ConditionalCheckFailed") throw listNotFound();
      if (cancellationCode(error, 1) === "ConditionalCheckFailed") throw new TooManyTodosError(this.maxTodosPerUser);
      throw error;
    }
    return toTodo(item);
  }

  async get(userId: string, todoId: string): Promise<Todo> {
    return toTodo(await this.readVisible(userId, todoId));
  }

  /**
   * A page of tasks, oldest first: of one list (`listId`) or of every list. Without a filter it
   * reads one item more than the page to know whether another page exists. With a filter,
   * DynamoDB applies `Limit` before the filter, so it reads larger pages, a bounded number of
   * times, and hands back a cursor where it stopped: a page may then hold fewer items than asked
   * although more follow.
   */
  async list(userId: string, query: ListTodosQuery): Promise<TodoPage> {
    const listId = query.listId;
    const oneList = listId !== undefined && listId !== DEFAULT_LIST_ID ? listId : undefined;
    const page = await this.readPage(userId, query, oneList);
    // Liveness is checked after the tasks are read: a list still live then was live while they
    // were read, so no purge had begun — the page shows all of a list's tasks or none of them.
    if (oneList !== undefined) {
      if (!(await this.lists.isLive(userId, oneList))) throw listNotFound();
      return { items: page.items.map(toTodo), nextCursor: page.nextCursor };
    }
    // One page read: its filter read the lists after the tasks already. More: a list may have been
    // tombstoned after the first filter's read, so check again.
    const items = page.pagesRead > 1 ? await this.visibilityFilter(userId)(page.items) : page.items;
    return { items: items.map(toTodo), nextCursor: page.nextCursor };
  }

  private async readPage(
    userId: string,
    query: ListTodosQuery,
    oneList: string | undefined,
  ): Promise<{ items: StoredTodo[]; nextCursor: string | null; pagesRead: number }> {
    const source =
      oneList !== undefined
        ? this.membershipSource(userId, oneList)
        : this.taskRangeSource(userId, { defaultListOnly: query.listId === DEFAULT_LIST_ID });
    const filtered = query.completed !== undefined || query.listId === DEFAULT_LIST_ID;
    // Skips tasks of lists being deleted as pages are read (list() checks again at the end).
    const visible = this.visibilityFilter(userId);
    const items: StoredTodo[] = [];
    let startAfter = query.cursor === undefined ? undefined : decodeCursor(userId, query.cursor);
    for (let pages = 1; ; pages++) {
      const page = await source(startAfter, filtered ? FILTERED_PAGE_SIZE : query.limit + 1 - items.length);
      const kept = page.items.filter((item) => query.completed === undefined || item.completed === query.completed);
      items.push(...(oneList === undefined ? await visible(kept) : kept));
      if (items.length > query.limit) {
        const shown = items.slice(0, query.limit);
        return { items: shown, nextCursor: encodeCursor(userId, shown[shown.length - 1]!.todoId), pagesRead: pages };
      }
      if (page.lastTodoId === undefined) return { items, nextCursor: null, pagesRead: pages };
      if (pages >= MAX_PAGES_PER_FILTERED_LIST) return { items, nextCursor: encodeCursor(userId, page.lastTodoId), pagesRead: pages };
      startAfter = page.lastTodoId;
    }
  }

  /**
   * Changes a task: reads it (not its list), then writes it in one transaction conditional on the version read
   * (a write cannot answer the item as written inside a transaction, and every write is one, with
   * its sync-log entry): with a check that its list is live, and on a move the memberships and a
   * check of the target list too. A write that lost a race without If-Match reads again and
   * retries (LOST_RACE_ATTEMPTS), so concurrent patches all apply.
   */
  async patch(userId: string, todoId: string, changes: PatchTodoInput, options: WriteOptions = {}): Promise<Todo> {
    const { listId: _listId, ...fields } = changes;
    for (let attempt = 1; ; attempt++) {
      const current = await this.readStored(userId, todoId);
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw await this.conflictUnlessHidden(userId, current);
      }
      const now = this.now().toISOString();
      const from = storedListId(current.listId);
      const to = changes.listId === undefined ? from : storedListId(changes.listId);
      const moves = from !== to;
      const update = taskUpdate(fields, now, moves ? (to ?? null) : undefined);
      const items: TransactItem[] = [
        this.writer.update(todoKey(userId, todoId), update.expression, update, versionIs(current.version)),
      ];
      if (moves && to) {
        items.push(this.writer.conditionCheck(listKey(userId, to), LIST_IS_LIVE));
        items.push(this.writer.put(membershipKey(userId, to, todoId)));
      }
      if (from) {
        items.push(this.writer.conditionCheck(listKey(userId, from), LIST_IS_LIVE));
        if (moves) items.push(this.writer.delete(membershipKey(userId, from, todoId)));
      }
      try {
        await this.writer.transact(items);
        return toTodo(applyChanges(current, fields, to, now));
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (moves && to && reasons[1]?.Code === "ConditionalCheckFailed") throw listNotFound();
        if (reasons.some((reason, index) => index > 0 && reason.Code === "ConditionalCheckFailed")) throw new NotFoundError();
        if (reasons[0]?.Code !== "ConditionalCheckFailed") throw error;
        if (options.expectedVersion !== undefined || attempt >= LOST_RACE_ATTEMPTS) throw conflictOrNotFound(reasons[0]?.Item);
        await afterLostRace(attempt);
      }
    }
  }

  async remove(userId: string, todoId: string, options: WriteOptions = {}): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.readStored(userId, todoId);
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw await this.conflictUnlessHidden(userId, current);
      }
      const items = [
        this.writer.delete(todoKey(userId, todoId), versionIs(current.version)),
        this.writer.counterChange(userId, { todos: -1 }),
        ...(current.listId
          ? [
              this.writer.conditionCheck(listKey(userId, current.listId), LIST_IS_LIVE),
              this.writer.delete(membershipKey(userId, current.listId, todoId)),
            ]
          : []),
      ];
      try {
        await this.writer.transact(items);
        return;
      } catch (error) {
        if (cancellationCode(error, 2) === "ConditionalCheckFailed") throw new NotFoundError();
        if (cancellationCode(error, 0) !== "ConditionalCheckFailed") throw error;
        // Changed or deleted since the read: with If-Match that is the caller's conflict, else read
        // again, as a patch does (each loss is another write's win; 10 racing patches must not make a
        // DELETE without If-Match answer 409).
        if (options.expectedVersion !== undefined || attempt >= LOST_RACE_ATTEMPTS) {
          throw conflictOrNotFound(cancellationReasons(error)[0]?.Item);
        }
        await afterLostRace(attempt);
      }
    }
  }

  /**
   * Deletes the user's completed tasks (in live lists), up to 99 items per transaction with one
   * change of the counter (so clearing a long list is a few transactions, not one per task
   * contending for the counter). Each delete is conditional on the task still being completed: a
   * task un-completed meanwhile is kept (a BatchWriteItem could not carry that condition) — its
   * transaction is cancelled and retried without it. The count is of tasks actually deleted. A
   * failure after some transactions is thrown as is; the operation is idempotent, so a retry
   * finishes the job.
   */
  async removeCompleted(userId: string, listId?: string): Promise<{ deleted: number }> {
    let candidates: StoredTodo[];
    if (listId === undefined) {
      const visible = this.visibilityFilter(userId);
      candidates = [];
      const source = this.taskRangeSource(userId, { completed: true, keysOnly: true });
      let startAfter: string | undefined;
      do {
        const page = await source(startAfter, undefined);
        candidates.push(...(await visible(page.items)));
        startAfter = page.lastTodoId;
      } while (startAfter !== undefined);
    } else {
      // One list (`?listId=`, the list view's "Clear completed"): its tasks, by its memberships.
      if (listId !== DEFAULT_LIST_ID && !(await this.lists.isLive(userId, listId))) throw listNotFound();
      candidates = (await this.allOf(userId, listId)).filter((task) => task.completed);
    }

    let deleted = 0;
    for (const group of groupByItems(candidates, (task) => (task.listId ? 2 : 1), TRANSACTION_CAPACITY - 1)) {
      deleted += await this.deleteStillCompleted(userId, group, listId);
    }
    return { deleted };
  }

  /**
   * Mark all (in)complete: every task of the list (or of every live list), optionally only those
   * currently `completed`, set to `completed`. Each write is conditional on the task still
   * existing, in that list, and not already in that state; transactions of up to 99 updates run
   * a few at a time. Once `outOfTime` says so it stops starting new ones (OutOfTimeError, 503): what it
   * wrote stays, and a retry finishes the job.
   */
  async completeAll(
    userId: string,
    query: BulkCompleteQuery,
    completed: boolean,
    bound: TimeBound = {},
  ): Promise<{ updated: number }> {
    const listId = query.listId;
    if (listId !== undefined && listId !== DEFAULT_LIST_ID && !(await this.lists.isLive(userId, listId))) {
      throw listNotFound();
    }
    const candidates = (await this.allOf(userId, listId)).filter(
      (task) => task.completed !== completed && (query.completed === undefined || task.completed === query.completed),
    );
    const now = this.now().toISOString();
    const update = taskUpdate({ completed }, now);
    const inList = stillInList(listId);
    const condition: Condition = {
      expression: `${inList.expression} AND #completedFlag <> :target`,
      names: { ...inList.names, "#completedFlag": "completed" },
      values: { ...inList.values, ":target": completed },
    };
    const groups = groupByItems(candidates, () => 1, TRANSACTION_CAPACITY);
    let updated = 0;
    let next = 0;
    let outOfTime = false;
    const worker = async () => {
      while (next < groups.length && !outOfTime) {
        if (bound.outOfTime?.()) {
          outOfTime = true;
          return;
        }
        const group = groups[next++]!;
        // Not `updated += await …`: that would read `updated` before the await and lose other workers' counts.
        const written = await this.writer.transactEach(group, (task) => [
          this.writer.update(todoKey(userId, task.todoId), update.expression, update, condition),
        ]);
        updated += written.length;
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, groups.length) }, worker));
    if (outOfTime) throw new OutOfTimeError(updated);
    return { updated };
  }

  /** Deletes those of `tasks` that are still completed (and their memberships), in one transaction; returns how many. */
  private async deleteStillCompleted(userId: string, tasks: StoredTodo[], listId: string | undefined): Promise<number> {
    // A task moved to another list meanwhile is not this list's to clear.
    const inList = stillInList(listId);
    const stillCompleted: Condition = {
      expression: `${inList.expression} AND #completed = :true`,
      names: { ...inList.names, "#completed": "completed" },
      values: { ...inList.values, ":true": true },
    };
    const deleted = await this.writer.transactEach(
      tasks,
      (task) => [
        this.writer.delete(todoKey(userId, task.todoId), stillCompleted),
        ...(task.listId ? [this.writer.delete(membershipKey(userId, task.listId, task.todoId))] : []),
      ],
      (kept) => (kept.length ? [this.writer.counterChange(userId, { todos: -kept.length })] : []),
    );
    return deleted.length;
  }

  /** The stored task, if it exists and its list is live. */
  private async readVisible(userId: string, todoId: string): Promise<StoredTodo> {
    const item = await this.readStored(userId, todoId);
    if (item.listId !== undefined && !(await this.lists.isLive(userId, item.listId))) throw new NotFoundError();
    return item;
  }

  /**
   * The stored task, whatever its list. Writes read only this: their transaction checks that the
   * list is live (LIST_IS_LIVE), so a task of a list being deleted is a 404 without reading the list.
   */
  private async readStored(userId: string, todoId: string): Promise<StoredTodo> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: todoKey(userId, todoId), ConsistentRead: true }),
    );
    if (!Item) throw new NotFoundError();
    return Item as StoredTodo;
  }

  /** An If-Match that names another version: a conflict, unless the task is hidden by its list's deletion (404). */
  private async conflictUnlessHidden(userId: string, current: StoredTodo): Promise<Error> {
    if (current.listId !== undefined && !(await this.lists.isLive(userId, current.listId))) return new NotFoundError();
    return new VersionConflictError(current.version);
  }

  /** Every task (id, completion, list) of one list or of every live list, unpaged. */
  private async allOf(userId: string, listId: string | undefined): Promise<StoredTodo[]> {
    const source =
      listId !== undefined && listId !== DEFAULT_LIST_ID
        ? this.membershipSource(userId, listId, true)
        : this.taskRangeSource(userId, { defaultListOnly: listId === DEFAULT_LIST_ID, keysOnly: true });
    const visible = this.visibilityFilter(userId);
    const tasks: StoredTodo[] = [];
    let startAfter: string | undefined;
    do {
      const page = await source(startAfter, undefined);
      tasks.push(...(listId === undefined ? await visible(page.items) : page.items));
      startAfter = page.lastTodoId;
    } while (startAfter !== undefined);
    return tasks;
  }

  /** Drops tasks of lists being deleted; reads the user's lists once, and only when a page has such a task. */
  private visibilityFilter(userId: string): (items: StoredTodo[]) => Promise<StoredTodo[]> {
    let live: Promise<Set<string>> | undefined;
    return async (items) => {
      if (!items.some((item) => item.listId !== undefined)) return items;
      live ??= this.lists.liveIds(userId);
      const ids = await live;
      return items.filter((item) => item.listId === undefined || ids.has(item.listId));
    };
  }

  /** Tasks in id order from the task range of the partition (every list, or the default one). */
  private taskRangeSource(userId: string, options: { defaultListOnly?: boolean; completed?: boolean; keysOnly?: boolean }) {
    const filters: string[] = [];
    const condition = rangeCondition(userId, TODO_RANGE);
    const names = condition.ExpressionAttributeNames;
    const values = condition.ExpressionAttributeValues;
    if (options.defaultListOnly) {
      filters.push("attribute_not_exists(#listId)");
      names["#listId"] = "listId";
    }
    if (options.completed !== undefined) {
      filters.push("#completed = :completed");
      names["#completed"] = "completed";
      values[":completed"] = options.completed;
    }
    if (options.keysOnly) {
      names["#listId"] = "listId";
      names["#completed"] = "completed";
    }
    return async (startAfter: string | undefined, limit: number | undefined) => {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...condition,
          ...(filters.length ? { FilterExpression: filters.join(" AND ") } : {}),
          ...(options.keysOnly ? { ProjectionExpression: "#sk, #listId, #completed" } : {}),
          ExclusiveStartKey: startAfter === undefined ? undefined : todoKey(userId, startAfter),
          ...(limit !== undefined ? { Limit: limit } : {}),
        }),
      );
      return { items: (result.Items ?? []) as StoredTodo[], lastTodoId: (result.LastEvaluatedKey as TodoKey | undefined)?.todoId };
    };
  }

  /**
   * Tasks of one list in id order: a Query on its membership range, then the tasks themselves
   * (BatchGetItem, strongly consistent). A membership whose task is gone meanwhile is skipped.
   */
  private membershipSource(userId: string, listId: string, keysOnly = false) {
    const range = membershipRange(listId);
    return async (startAfter: string | undefined, limit: number | undefined) => {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          ...rangeCondition(userId, range),
          ExclusiveStartKey: startAfter === undefined ? undefined : membershipKey(userId, listId, startAfter),
          ...(limit !== undefined ? { Limit: limit } : {}),
        }),
      );
      const ids = (result.Items ?? []).map((item) => todoIdOfMembership(listId, (item as TodoKey).todoId));
      const last = result.LastEvaluatedKey as TodoKey | undefined;
      return {
        items: await this.batchGet(userId, ids, keysOnly),
        lastTodoId: last === undefined ? undefined : todoIdOfMembership(listId, last.todoId),
      };
    };
  }

  private async batchGet(userId: string, ids: string[], keysOnly: boolean): Promise<StoredTodo[]> {
    const found = await batchGetBySortKey<StoredTodo>(
      this.db,
      this.tableName,
      ids.map((id) => todoKey(userId, id)),
      keysOnly ? { expression: "#sk, #listId, #completed", names: { "#sk": TODOS_TABLE.sortKey, "#listId": "listId", "#completed": "completed" } } : undefined,
    );
    return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  }
}

interface TaskUpdate {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * The update expression for a patch. Defaults are stored as absent attributes (the v1 layout):
 * empty notes, no due date, the default list. `completedAt` is set when a task is completed (and
 * kept when it already was), removed when it is reopened.
 */
function taskUpdate(
  changes: Omit<PatchTodoInput, "listId">,
  now: string,
  listId?: string | null,
): TaskUpdate {
  const names: Record<string, string> = { "#version": "version", "#updatedAt": "updatedAt" };
  const values: Record<string, unknown> = { ":one": 1, ":now": now };
  const sets = ["#updatedAt = :now"];
  const removes: string[] = [];
  for (const field of ["title", "completed", "order"] as const) {
    if (changes[field] === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = changes[field];
    sets.push(`#${field} = :${field}`);
  }
  const optional = (field: string, value: unknown, isDefault: boolean) => {
    names[`#${field}`] = field;
    if (isDefault) {
      removes.push(`#${field}`);
    } else {
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
  };
  if (changes.notes !== undefined) optional("notes", changes.notes, changes.notes === "");
  if (changes.due !== undefined) optional("due", changes.due, changes.due === null);
  if (listId !== undefined) optional("listId", listId, listId === null);
  if (changes.completed === true) {
    names["#completedAt"] = "completedAt";
    sets.push("#completedAt = if_not_exists(#completedAt, :now)");
  } else if (changes.completed === false) {
    names["#completedAt"] = "completedAt";
    removes.push("#completedAt");
  }
  const expression = `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""} ADD #version :one`;
  return { expression, names, values };
}

/** What `taskUpdate` does to `current`, for answers of writes that cannot return the item. */
function applyChanges(current: StoredTodo, changes: Omit<PatchTodoInput, "listId">, listId: string | undefined, now: string): StoredTodo {
  const next: StoredTodo = { ...current, updatedAt: now, version: current.version + 1 };
  if (changes.title !== undefined) next.title = changes.title;
  if (changes.order !== undefined) next.order = changes.order;
  if (changes.completed === true) next.completed = true;
  if (changes.completed === true && current.completedAt === undefined) next.completedAt = now;
  if (changes.completed === false) {
    next.completed = false;
    delete next.completedAt;
  }
  if (changes.notes !== undefined) {
    if (changes.notes === "") delete next.notes;
    else next.notes = changes.notes;
  }
  if (changes.due !== undefined) {
    if (changes.due === null) delete next.due;
    else next.due = changes.due;
  }
  if (listId === undefined) delete next.listId;
  else next.listId = listId;
  return next;
}

function versionIs(version: number): Condition {
  return { expression: "#version = :readVersion", names: { "#version": "version" }, values: { ":readVersion": version } };
}

function conflictOrNotFound(current: Record<string, AttributeValue> | undefined): Error {
  const version = current?.version?.N;
  return version === undefined ? new NotFoundError() : new VersionConflictError(Number(version));
}

/** Consecutive groups whose items (as `size` counts them) fit in `capacity`. */
function groupByItems<T>(things: T[], size: (thing: T) => number, capacity: number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const thing of things) {
    const needed = size(thing);
    if (used + needed > capacity && current.length > 0) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(thing);
    used += needed;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The condition that a task still exists and, given a list, is still in it (the default list: no `listId`). */
function stillInList(listId: string | undefined): Condition {
  if (listId === undefined) return { expression: "attribute_exists(#sk)", names: { "#sk": TODOS_TABLE.sortKey } };
  if (listId === DEFAULT_LIST_ID) {
    return { expression: "attribute_exists(#sk) AND attribute_not_exists(#listId)", names: { "#sk": TODOS_TABLE.sortKey, "#listId": "listId" } };
  }
  return { expression: "attribute_exists(#sk) AND #listId = :listId", names: { "#sk": TODOS_TABLE.sortKey, "#listId": "listId" }, values: { ":listId": listId } };
}
