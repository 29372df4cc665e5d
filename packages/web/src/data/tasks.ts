/**
 * The tasks as the views see them: the sync engine's view (the replica with the pending writes on
 * top, every list), and the writes, each one queued operation (`useWrite`): shown at once, sent
 * in order when the network allows, kept across reloads. Deletions are undoable (./undo.ts): the
 * delete is queued only once the undo window is over.
 *
 * This module and ./lists.ts are the door to the data: components use these hooks and actions,
 * never the engine or the API client.
 */
import type { PatchTodoInput, Todo } from "@tasks/core/contract";
import { useMemo, useSyncExternalStore } from "react";
import type { QueryState } from "../tasks/ListView";
import { useSyncEngine, useSyncStatus, useSyncView, useWrite } from "../sync/react";
import type { WriteOp } from "../sync/local-view";
import { useUndo, useUndoSnapshot } from "./undo-context";

/** List order: `order` (the creation time unless moved), then id (ULIDs sort by creation). */
export const byOrder = (a: Todo, b: Todo) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The view's load state. Before the first pull the replica holds nothing, not even the default
 * list; once it holds a snapshot (from this session or an earlier one, offline too) it is shown.
 * A failed pull is retried by the engine itself, so there is no error state to offer a retry for.
 */
export function useLoadState(): QueryState & { isSuccess: boolean } {
  const engine = useSyncEngine();
  const synced = useSyncStatus().synced;
  const loaded = useSyncView((view) => view.lists.length > 0) || synced;
  return useMemo(
    () => ({ isPending: !loaded, isSuccess: loaded, isError: false, isRefetchError: false, error: null, refetch: () => engine.pull() }),
    [loaded, engine],
  );
}

/** Every visible task of the user, across lists (tasks waiting to be deleted are left out). */
export function useTasks() {
  const all = useSyncView((view) => view.todos);
  const query = useLoadState();
  const { hiddenTasks, hiddenLists } = useUndoSnapshot();
  const tasks = useMemo(
    () =>
      hiddenTasks.size === 0 && hiddenLists.size === 0
        ? (all as Todo[])
        : all.filter((todo) => !hiddenTasks.has(todo.id) && !hiddenLists.has(todo.listId)),
    [all, hiddenTasks, hiddenLists],
  );
  return { query, tasks };
}

/**
 * True while the device is offline and the task has a write the server has not acknowledged yet:
 * the row says "not synced". Online, a write is acknowledged within moments, and a mark that came
 * and went with every click would only flicker.
 */
export function useIsUnsynced(id: string): boolean {
  const engine = useSyncEngine();
  return useSyncExternalStore(engine.subscribe, () => !engine.getStatus().online && engine.getView().pending.has(id));
}

export interface NewTask {
  title: string;
  listId: string;
  due?: string | null;
  notes?: string;
}

/** A write queued; one the API would refuse as malformed is never queued, and says why. */
export function useQueueWrite(reportError: (message: string) => void) {
  const write = useWrite();
  return async (op: WriteOp): Promise<{ id?: string }> => {
    try {
      return await write(op);
    } catch (error) {
      reportError(error instanceof Error && error.name === "ZodError" ? "That change is not valid." : "That change could not be saved on this device.");
      throw error;
    }
  };
}

export function useTaskActions(reportError: (message: string) => void) {
  const undo = useUndo();
  const engine = useSyncEngine();
  const queue = useQueueWrite(reportError);
  const read = () => engine.getView().todos;
  const send = (op: WriteOp) => void queue(op).catch(() => undefined);

  /** Every change first queues a pending deletion, so the server sees them in the order made. */
  const afterPending = (change: () => void) => {
    void undo.flush();
    change();
  };

  return {
    /** Resolves to the new task's id (a local one until the server has it), once it is in the view. */
    add: (task: NewTask): Promise<string | undefined> => {
      void undo.flush();
      return queue({
          type: "createTodo",
          input: {
            title: task.title,
            // Last in its list: `order` is the creation time, as the API's default.
            order: Math.max(Date.now(), ...read().map((t) => t.order + 1)),
            ...(task.listId !== "default" ? { listId: task.listId } : {}),
            ...(task.due ? { due: task.due } : {}),
            ...(task.notes ? { notes: task.notes } : {}),
          },
      }).then(
        (queued) => queued.id,
        () => undefined,
      );
    },
    update: (id: string, patch: PatchTodoInput) => afterPending(() => send({ type: "updateTodo", id, patch })),
    setCompleted: (id: string, completed: boolean) => afterPending(() => send({ type: "updateTodo", id, patch: { completed } })),
    rename: (id: string, title: string) => afterPending(() => send({ type: "updateTodo", id, patch: { title } })),
    /** One request for any number of tasks (PATCH /todos?listId=). */
    markAll: (listId: string, completed: boolean) => afterPending(() => send({ type: "completeAll", completed, listId })),
    /** Deletes after the undo window; `afterUndo` puts focus back on the restored task. */
    remove: (todo: Todo, afterUndo?: () => void) =>
      undo.offer({
        message: `Deleted “${todo.title}”`,
        hideTasks: [todo.id],
        commit: async () => void (await queue({ type: "deleteTodo", id: todo.id })),
        ...(afterUndo ? { afterUndo } : {}),
      }),
    /** The list's completed tasks, in one request (DELETE /todos?completed=true&listId=), after the undo window. */
    clearCompleted: (listId: string, afterUndo?: () => void) => {
      void undo.flush();
      const completed = read().filter((todo) => todo.completed && todo.listId === listId);
      if (completed.length === 0) return;
      undo.offer({
        message: `Cleared ${completed.length} completed ${completed.length === 1 ? "task" : "tasks"}`,
        hideTasks: completed.map((todo) => todo.id),
        commit: async () => void (await queue({ type: "clearCompleted", listId })),
        ...(afterUndo ? { afterUndo } : {}),
      });
    },
  };
}

export type TaskActions = ReturnType<typeof useTaskActions>;
export { useSyncStatus };
