/**
 * What the person sees: the server's state (the replica) with their pending writes laid on top, in
 * queue order. It is recomputed from both whenever either changes — a rebase — so a pull that
 * brings other devices' changes never hides a write still waiting to be sent, and a write the
 * server acknowledged is shown as the server answered it.
 *
 * Each person's action is one `WriteOp`; `toQueuedWrite` turns it into the HTTP request the queue
 * stores, and `applyWrite` reads that request back as its effect on the view — one description of
 * a write, not two that could drift apart.
 */
import {
  CreateListInput,
  CreateTodoInput,
  DEFAULT_LIST_ID,
  PatchListInput,
  PatchTodoInput,
  type List,
  type Todo,
} from "@tasks/core/contract";
import type { ServerState } from "./replica";
import { newLocalId, type NewWrite, type QueuedWrite } from "./write-queue";

export type WriteOp =
  | { type: "createTodo"; input: CreateTodoInput }
  | { type: "updateTodo"; id: string; patch: PatchTodoInput }
  | { type: "deleteTodo"; id: string }
  /** Mark all (in)complete, of one list or of every list: one request. */
  | { type: "completeAll"; completed: boolean; listId?: string }
  /** Clear completed, of one list or of every list: one request (`DELETE /todos?completed=true[&listId=]`). */
  | { type: "clearCompleted"; listId?: string }
  | { type: "createList"; input: CreateListInput }
  | { type: "updateList"; id: string; patch: PatchListInput }
  | { type: "deleteList"; id: string };

export interface SyncView {
  /** By `order`, then id. */
  readonly todos: readonly Todo[];
  /** By `position`, then id (the default list, at 0, first). */
  readonly lists: readonly List[];
  /** Ids of tasks and lists with a write not yet acknowledged (local ids included). */
  readonly pending: ReadonlySet<string>;
}

interface MutableState {
  todos: Map<string, Todo>;
  lists: Map<string, List>;
  pending: Set<string>;
}

/** A ULID-shaped placeholder, so that a body naming a not-yet-created list validates. */
const LOCAL_ID_STAND_IN = "00000000000000000000000000";

function withoutLocalIds(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/local:[0-9a-f-]+/g, LOCAL_ID_STAND_IN));
}

/** Throws (a ZodError) for a write the API would refuse as malformed: it is never queued. */
function validated<T>(schema: { parse(value: unknown): unknown }, body: T): T {
  schema.parse(withoutLocalIds(body));
  return body;
}

// Ids go into paths as they are (ULIDs, "default" or `local:<uuid>`): the queue finds a local id
// in a path by its text to rewrite it to the server's, which an encoded `local%3A…` would hide.
const todoPath = (id: string) => `/todos/${id}`;
const listPath = (id: string) => `/lists/${id}`;

/**
 * The request for one action, made on `view` (the version an edit carries as If-Match is the one
 * the person saw). A create gets its local id and Idempotency-Key here, once.
 */
export function toQueuedWrite(op: WriteOp, view: SyncView, now: Date): NewWrite & { queuedAt: string } {
  const queuedAt = now.toISOString();
  const shown = <T extends { id: string }>(items: readonly T[], id: string): T => {
    const item = items.find((candidate) => candidate.id === id);
    if (!item) throw new Error(`No such item: ${id}`);
    return item;
  };
  /** The version the edit is made on, and the edited fields as the person saw them. */
  const editOf = (item: { version: number }, patch: object) => ({
    ifMatch: item.version,
    base: Object.fromEntries(Object.keys(patch).map((field) => [field, (item as Record<string, unknown>)[field] ?? null])),
  });
  switch (op.type) {
    case "createTodo":
      return {
        method: "POST",
        path: "/todos",
        // The order is fixed here so the server stores what the person saw.
        body: validated(CreateTodoInput, { ...op.input, order: op.input.order ?? now.getTime() }),
        idempotencyKey: crypto.randomUUID(),
        createsLocalId: newLocalId(),
        queuedAt,
      };
    case "updateTodo":
      return { method: "PATCH", path: todoPath(op.id), body: validated(PatchTodoInput, op.patch), ...editOf(shown(view.todos, op.id), op.patch), queuedAt };
    case "deleteTodo":
      return { method: "DELETE", path: todoPath(op.id), queuedAt };
    case "completeAll": {
      // Written out, not URLSearchParams: that would encode a local id's ":" (see todoPath).
      const list = op.listId !== undefined ? `&listId=${op.listId}` : "";
      return { method: "PATCH", path: `/todos?completed=${String(!op.completed)}${list}`, body: { completed: op.completed }, queuedAt };
    }
    case "clearCompleted":
      return { method: "DELETE", path: `/todos?completed=true${op.listId !== undefined ? `&listId=${op.listId}` : ""}`, queuedAt };
    case "createList":
      return {
        method: "POST",
        path: "/lists",
        body: validated(CreateListInput, { ...op.input, position: op.input.position ?? now.getTime() }),
        idempotencyKey: crypto.randomUUID(),
        createsLocalId: newLocalId(),
        queuedAt,
      };
    case "updateList":
      return { method: "PATCH", path: listPath(op.id), body: validated(PatchListInput, op.patch), ...editOf(shown(view.lists, op.id), op.patch), queuedAt };
    case "deleteList":
      return { method: "DELETE", path: listPath(op.id), queuedAt };
  }
}

/** The request's target: collection (`/todos`) or item (`/todos/<id>`), with its query. */
export function parseWritePath(path: string): { resource: "todos" | "lists"; id?: string; query: URLSearchParams } {
  const url = new URL(path, "http://replica.invalid");
  const [, resource, id] = url.pathname.split("/");
  if (resource !== "todos" && resource !== "lists") throw new Error(`Not a write path: ${path}`);
  return { resource, ...(id ? { id: decodeURIComponent(id) } : {}), query: url.searchParams };
}

type Body = Record<string, unknown>;

/** The effect of one queued write on the view; a write whose target is gone changes nothing. */
export function applyWrite(state: MutableState, write: QueuedWrite & { queuedAt?: string }): void {
  const { resource, id, query } = parseWritePath(write.path);
  const body = (write.body ?? {}) as Body;
  const at = write.queuedAt ?? new Date(0).toISOString();
  if (id) state.pending.add(id);
  if (write.createsLocalId) state.pending.add(write.createsLocalId);

  if (resource === "lists") {
    if (write.method === "POST" && write.createsLocalId) {
      state.lists.set(write.createsLocalId, {
        id: write.createsLocalId,
        name: String(body.name).trim(),
        position: Number(body.position),
        isDefault: false,
        createdAt: at,
        updatedAt: at,
        version: 1,
      });
    } else if (write.method === "PATCH" && id) {
      const list = state.lists.get(id);
      if (list) state.lists.set(id, { ...list, ...(typeof body.name === "string" ? { name: body.name.trim() } : {}), ...(typeof body.position === "number" ? { position: body.position } : {}) });
    } else if (write.method === "DELETE" && id && id !== DEFAULT_LIST_ID) {
      state.lists.delete(id);
      for (const todo of [...state.todos.values()]) if (todo.listId === id) state.todos.delete(todo.id);
    }
    return;
  }

  if (write.method === "POST" && write.createsLocalId) {
    const listId = typeof body.listId === "string" ? body.listId : DEFAULT_LIST_ID;
    if (!state.lists.has(listId) && listId !== DEFAULT_LIST_ID) return; // the server will refuse it (404)
    const completed = body.completed === true;
    state.todos.set(write.createsLocalId, {
      id: write.createsLocalId,
      title: String(body.title).trim(),
      completed,
      order: Number(body.order),
      createdAt: at,
      updatedAt: at,
      version: 1,
      listId,
      notes: typeof body.notes === "string" ? body.notes : "",
      due: typeof body.due === "string" ? body.due : null,
      completedAt: completed ? at : null,
    });
  } else if (write.method === "PATCH" && id) {
    const todo = state.todos.get(id);
    if (todo) state.todos.set(id, patched(todo, body, at, state));
  } else if (write.method === "DELETE" && id) {
    state.todos.delete(id);
  } else if (write.method === "PATCH") {
    const listId = query.get("listId");
    const onlyCompleted = query.get("completed");
    for (const todo of state.todos.values()) {
      if (listId !== null && todo.listId !== listId) continue;
      if (onlyCompleted !== null && String(todo.completed) !== onlyCompleted) continue;
      state.todos.set(todo.id, patched(todo, { completed: body.completed }, at, state));
    }
  } else if (write.method === "DELETE") {
    const listId = query.get("listId");
    for (const todo of [...state.todos.values()]) if (todo.completed && (listId === null || todo.listId === listId)) state.todos.delete(todo.id);
  }
}

function patched(todo: Todo, body: Body, at: string, state: MutableState): Todo {
  const next: Todo = { ...todo };
  if (typeof body.title === "string") next.title = body.title.trim();
  if (typeof body.notes === "string") next.notes = body.notes;
  if (typeof body.order === "number") next.order = body.order;
  if (body.due === null || typeof body.due === "string") next.due = body.due;
  if (typeof body.listId === "string" && (state.lists.has(body.listId) || body.listId === DEFAULT_LIST_ID)) next.listId = body.listId;
  if (typeof body.completed === "boolean" && body.completed !== todo.completed) {
    next.completed = body.completed;
    next.completedAt = body.completed ? at : null;
  }
  return next;
}

const byOrder = (a: Todo, b: Todo) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byPosition = (a: List, b: List) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The server's state with the pending writes applied in order. */
export function composeView(server: ServerState, pending: readonly QueuedWrite[]): SyncView {
  const state: MutableState = { todos: new Map(server.todos), lists: new Map(server.lists), pending: new Set() };
  for (const write of pending) applyWrite(state, write);
  return {
    todos: [...state.todos.values()].sort(byOrder),
    lists: [...state.lists.values()].sort(byPosition),
    pending: state.pending,
  };
}
