/**
 * The signed-in user's copy of the server's lists and tasks, in IndexedDB (DESIGN.md, "The SPA
 * (v2)", local-first), fed by `GET /sync`. It holds the server's state only — what the person has
 * written but the server has not yet acknowledged lives in the write queue and is laid on top by
 * `local-view.ts` — so that a pull can never overwrite a pending write.
 *
 * - One database per user (`tasks-replica:<sub>`): another user on the same browser opens another
 *   database and never reads this one; `deleteUserData` (sign-out) removes it.
 * - A snapshot (a pull without `since`) may span pages; it is gathered in memory and replaces the
 *   stored state in one transaction when its last page arrives, so a reload mid-snapshot still
 *   shows the whole previous state, never half of each.
 * - A delta page is applied in order, in one transaction with its cursor: a crash between pages
 *   resumes from the last page stored. Applying a page twice changes nothing (the server re-sends
 *   the last ~30 s of changes): an item is only ever replaced by the same or a newer version, and a
 *   deleted id is remembered so that no late or re-sent page brings it back.
 */
import type { List, SyncChange, SyncPage, Todo } from "@tasks/core/contract";
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from "idb";

export type Kind = "todo" | "list";

interface ReplicaSchema extends DBSchema {
  todos: { key: string; value: Todo };
  lists: { key: string; value: List };
  /** Ids the server reported deleted: never to come back (ULIDs are not reused). */
  deleted: { key: string; value: { key: string } };
  meta: { key: string; value: { key: string; value: string } };
}

type Stores = { todo: Map<string, Todo>; list: Map<string, List> };

export interface ServerState {
  readonly todos: ReadonlyMap<string, Todo>;
  readonly lists: ReadonlyMap<string, List>;
}

const CURSOR = "cursor";

export function replicaDatabaseName(userId: string): string {
  return `tasks-replica:${userId}`;
}

const tombstone = (kind: Kind, id: string) => `${kind}:${id}`;

export class Replica {
  private snapshot: { stores: Stores; deleted: Set<string> } | undefined;

  private constructor(
    private readonly db: IDBPDatabase<ReplicaSchema>,
    private readonly stores: Stores,
    private readonly deleted: Set<string>,
    private currentCursor: string | undefined,
  ) {}

  /** Opens the user's replica and reads all of it into memory: readable before any network answer. */
  static async open(userId: string): Promise<Replica> {
    const db = await openDB<ReplicaSchema>(replicaDatabaseName(userId), 1, {
      upgrade(database) {
        database.createObjectStore("todos", { keyPath: "id" });
        database.createObjectStore("lists", { keyPath: "id" });
        database.createObjectStore("deleted", { keyPath: "key" });
        database.createObjectStore("meta", { keyPath: "key" });
      },
    });
    const transaction = db.transaction(["todos", "lists", "deleted", "meta"]);
    const [todos, lists, deleted, cursor] = await Promise.all([
      transaction.objectStore("todos").getAll(),
      transaction.objectStore("lists").getAll(),
      transaction.objectStore("deleted").getAllKeys(),
      transaction.objectStore("meta").get(CURSOR),
    ]);
    return new Replica(
      db,
      { todo: new Map(todos.map((t) => [t.id, t])), list: new Map(lists.map((l) => [l.id, l])) },
      new Set(deleted),
      cursor?.value,
    );
  }

  close(): void {
    this.db.close();
  }

  /** Where the next pull starts; undefined: the next pull is a snapshot. */
  get cursor(): string | undefined {
    return this.currentCursor;
  }

  get state(): ServerState {
    return { todos: this.stores.todo, lists: this.stores.list };
  }

  /** The stored state is kept until a new snapshot replaces it (410 CURSOR_EXPIRED). */
  async forgetCursor(): Promise<void> {
    this.snapshot = undefined;
    this.currentCursor = undefined;
    await this.db.delete("meta", CURSOR);
  }

  /**
   * One page of a snapshot: the first page (`first`) starts a new one. The stored state changes
   * only when the last page (`hasMore: false`) arrives, and then all at once.
   */
  async applySnapshotPage(page: SyncPage, first: boolean): Promise<void> {
    if (first || !this.snapshot) this.snapshot = { stores: { todo: new Map(), list: new Map() }, deleted: new Set() };
    const staged = this.snapshot;
    applyChanges(staged.stores, staged.deleted, page.changes);
    if (page.hasMore) return;
    this.snapshot = undefined;
    const transaction = this.db.transaction(["todos", "lists", "deleted", "meta"], "readwrite");
    const todos = transaction.objectStore("todos");
    const lists = transaction.objectStore("lists");
    const deleted = transaction.objectStore("deleted");
    await Promise.all([todos.clear(), lists.clear()]);
    // Tombstones are kept: a page of a pull that started before this snapshot may still arrive.
    await Promise.all([
      ...[...staged.stores.todo.values()].map((todo) => todos.put(todo)),
      ...[...staged.stores.list.values()].map((list) => lists.put(list)),
      ...[...staged.deleted].map((key) => deleted.put({ key })),
      transaction.objectStore("meta").put({ key: CURSOR, value: page.cursor }),
    ]);
    await transaction.done;
    this.stores.todo = staged.stores.todo;
    this.stores.list = staged.stores.list;
    for (const key of staged.deleted) this.deleted.add(key);
    this.currentCursor = page.cursor;
  }

  /** A page of changes after the cursor, in order, stored with its cursor in one transaction. */
  async applyDelta(page: SyncPage): Promise<void> {
    const touched = applyChanges(this.stores, this.deleted, page.changes);
    await this.persist(touched, page.cursor);
  }

  /**
   * What the server answered to one of our own writes (the task a PATCH returned, the id a DELETE
   * removed), stored at once so the view does not fall back to the older state until the next
   * pull. The same guards apply: a newer version already here wins, a deleted id stays deleted.
   */
  async applyAcknowledged(changes: SyncChange[]): Promise<void> {
    await this.persist(applyChanges(this.stores, this.deleted, changes), undefined);
  }

  private async persist(touched: Touched, cursor: string | undefined): Promise<void> {
    const transaction = this.db.transaction(["todos", "lists", "deleted", "meta"], "readwrite");
    const writes: Promise<unknown>[] = [];
    for (const [kind, id] of touched.removed) {
      writes.push(transaction.objectStore(kind === "todo" ? "todos" : "lists").delete(id));
      writes.push(transaction.objectStore("deleted").put({ key: tombstone(kind, id) }));
    }
    for (const todo of touched.todos) writes.push(transaction.objectStore("todos").put(todo));
    for (const list of touched.lists) writes.push(transaction.objectStore("lists").put(list));
    if (cursor !== undefined) writes.push(transaction.objectStore("meta").put({ key: CURSOR, value: cursor }));
    await Promise.all(writes);
    await transaction.done;
    if (cursor !== undefined) this.currentCursor = cursor;
  }
}

interface Touched {
  todos: Todo[];
  lists: List[];
  removed: Array<[Kind, string]>;
}

/** Applies changes in order to `stores`, returning what to persist. */
function applyChanges(stores: Stores, deleted: Set<string>, changes: SyncChange[]): Touched {
  const removed = new Map<string, [Kind, string]>();
  for (const change of changes) {
    const key = tombstone(change.kind, change.id);
    if (change.deleted) {
      stores[change.kind].delete(change.id);
      deleted.add(key);
      removed.set(key, [change.kind, change.id]);
      if (change.kind === "list") {
        // The server also reports each task's delete; this keeps the view right meanwhile.
        for (const todo of [...stores.todo.values()]) {
          if (todo.listId !== change.id) continue;
          stores.todo.delete(todo.id);
          deleted.add(tombstone("todo", todo.id));
          removed.set(tombstone("todo", todo.id), ["todo", todo.id]);
        }
      }
      continue;
    }
    if (deleted.has(key)) continue;
    const current = stores[change.kind].get(change.id);
    if (current && current.version > change.item.version) continue;
    if (change.kind === "todo") stores.todo.set(change.id, change.item);
    else stores.list.set(change.id, change.item);
  }
  const todos: Todo[] = [];
  const lists: List[] = [];
  for (const change of changes) {
    if (change.deleted) continue;
    const item = stores[change.kind].get(change.id);
    if (item && change.kind === "todo") todos.push(item as Todo);
    if (item && change.kind === "list") lists.push(item as List);
  }
  return { todos, lists, removed: [...removed.values()] };
}

/** The user's replica is removed from this browser (sign-out: see `deleteUserData`). */
export async function deleteReplica(userId: string): Promise<void> {
  await deleteDB(replicaDatabaseName(userId));
}
