/**
 * Server state of the tasks: one TanStack query holding every task of the user (all lists: the
 * views, counts, Planned and search derive from it), and the writes, which update the cache at
 * once (optimistically) and roll back on failure. Deletions are undoable (./undo.ts).
 *
 * This module and ./lists.ts are the door to the data: components use these hooks and actions,
 * never the API client; the local replica (src/sync/) can later stand behind the same hooks.
 */
import { ErrorCode, type PatchTodoInput, type Todo } from "@tasks/core/contract";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { describeApiError, isApiError } from "../api/api-error";
import { newIdempotencyKey } from "../api/todo-api";
import { useTodoApi } from "./api-context";
import { useWriteAction } from "./write-action";
import { useUndo, useUndoSnapshot } from "./undo-context";

export const todosKey = (userId: string) => ["todos", userId] as const;

const OPTIMISTIC_PREFIX = "optimistic-";
/** A task shown before the API has created it; it cannot be changed until it has an id. */
export const isOptimistic = (todo: Todo) => todo.id.startsWith(OPTIMISTIC_PREFIX);

/**
 * Every write shares one mutation scope, so writes reach the API one at a time and in the order
 * the person made them, and each write reads the task's latest `version` from the cache right
 * before it is sent (If-Match never goes stale because of our own earlier write). The optimistic
 * cache update still happens immediately.
 */
export const WRITE_SCOPE = { id: "writes" };

/** List order: `order` (the creation time unless moved), then id (ULIDs sort by creation). */
export const byOrder = (a: Todo, b: Todo) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const NO_TASKS: Todo[] = [];

/** Every visible task of the user, across lists (tasks waiting to be deleted are left out). */
export function useTasks(userId: string) {
  const api = useTodoApi();
  const query = useQuery({ queryKey: todosKey(userId), queryFn: () => api.listAll() });
  const { hiddenTasks, hiddenLists } = useUndoSnapshot();
  const tasks = useMemo(
    () =>
      hiddenTasks.size === 0 && hiddenLists.size === 0
        ? (query.data ?? NO_TASKS)
        : (query.data ?? NO_TASKS).filter((todo) => !hiddenTasks.has(todo.id) && !hiddenLists.has(todo.listId)),
    [query.data, hiddenTasks, hiddenLists],
  );
  return { query, tasks };
}

export interface NewTask {
  title: string;
  listId: string;
  due?: string | null;
  notes?: string;
}

export function useTaskActions(userId: string, reportError: (message: string) => void) {
  const api = useTodoApi();
  const undo = useUndo();
  const queryClient = useQueryClient();
  const key = todosKey(userId);
  const read = () => queryClient.getQueryData<Todo[]>(key) ?? [];
  const write = (change: (todos: Todo[]) => Todo[]) => queryClient.setQueryData<Todo[]>(key, (old) => change(old ?? []));
  /** Stop an in-flight list fetch from overwriting an optimistic change with older data. */
  const holdFetches = () => queryClient.cancelQueries({ queryKey: key });
  const versionOf = (id: string) => read().find((todo) => todo.id === id)?.version;
  const failed = (error: unknown) => {
    // A 401 sends the person to the sign-in form (App's cache handler); no alert needed.
    if (!(isApiError(error) && error.isUnauthorized)) reportError(describeApiError(error));
    // Reload the list to show the server's truth — but not while later writes are still queued:
    // a reload would replace their optimistic rows; the last write to settle reloads instead.
    if (queryClient.isMutating() <= 1) void queryClient.invalidateQueries({ queryKey: key });
  };
  const dropFromCache = (ids: ReadonlySet<string>) => write((todos) => todos.filter((todo) => !ids.has(todo.id)));

  const add = useWriteAction({
    scope: WRITE_SCOPE,
    mutationFn: ({ task, idempotencyKey, order }: { task: NewTask; idempotencyKey: string; order: number }) =>
      api.create(
        {
          title: task.title,
          order,
          ...(task.listId !== "default" ? { listId: task.listId } : {}),
          ...(task.due ? { due: task.due } : {}),
          ...(task.notes ? { notes: task.notes } : {}),
        },
        idempotencyKey,
      ),
    // Safe to retry: the same Idempotency-Key makes the API return the first result, not a duplicate.
    retry: (failures, error) => failures < 3 && isApiError(error) && error.isTransient,
    retryDelay: (failures, error) =>
      Math.min(5_000, isApiError(error) && error.extra.retryAfterSeconds ? error.extra.retryAfterSeconds * 1000 : 250 * 2 ** failures),
    onMutate: async ({ task, idempotencyKey, order }) => {
      await holdFetches();
      const hadList = queryClient.getQueryData(key) !== undefined;
      const now = new Date().toISOString();
      const id = `${OPTIMISTIC_PREFIX}${idempotencyKey}`;
      write((todos) => [
        ...todos,
        { id, title: task.title, completed: false, order, createdAt: now, updatedAt: now, version: 1, listId: task.listId, notes: task.notes ?? "", due: task.due ?? null, completedAt: null },
      ]);
      return { id, hadList };
    },
    onSuccess: (created, _input, context) => {
      // The placeholder is gone if a reload replaced the list meanwhile: then add the task.
      write((todos) =>
        todos.some((todo) => todo.id === context.id)
          ? todos.map((todo) => (todo.id === context.id ? created : todo))
          : todos.some((todo) => todo.id === created.id)
            ? todos
            : [...todos, created],
      );
      // Added while the first load was still running: that load was cancelled, so load again.
      if (!context.hadList) void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (error, _input, context) => {
      if (context) write((todos) => todos.filter((todo) => todo.id !== context.id));
      failed(error);
    },
  });

  const update = useWriteAction({
    scope: WRITE_SCOPE,
    mutationFn: ({ id, patch }: { id: string; patch: PatchTodoInput }) => api.update(id, patch, versionOf(id)),
    onMutate: async ({ id, patch }) => {
      await holdFetches();
      const previous = read().find((todo) => todo.id === id);
      write((todos) => todos.map((todo) => (todo.id === id ? { ...todo, ...patch } : todo)));
      return { previous };
    },
    // The server's answer is the task now (completedAt, version, updatedAt), unless a later
    // optimistic edit of the same task is already in the cache: then only the version moves.
    onSuccess: (saved, { patch }) =>
      write((todos) =>
        todos.map((todo) =>
          todo.id !== saved.id
            ? todo
            : Object.keys(patch).every((field) => todo[field as keyof Todo] === saved[field as keyof Todo])
              ? { ...saved, version: Math.max(todo.version, saved.version) }
              : { ...todo, version: Math.max(todo.version, saved.version), updatedAt: saved.updatedAt },
        ),
      ),
    onError: (error, { id, patch }, context) => {
      const previous = context?.previous;
      if (previous) {
        const undone = Object.fromEntries(Object.keys(patch).map((field) => [field, previous[field as keyof Todo]]));
        write((todos) => todos.map((todo) => (todo.id === id ? { ...todo, ...undone } : todo)));
      }
      failed(error);
    },
  });

  const markAll = useWriteAction({
    scope: WRITE_SCOPE,
    // One request for any number of tasks (PATCH /todos?listId=): the server writes each changed
    // task conditionally; every version moved, so the tasks are read again afterwards.
    mutationFn: ({ completed, listId }: { completed: boolean; listId: string; previous: Todo[] }) =>
      api.completeAll(completed, listId),
    onMutate: async ({ completed, previous }) => {
      await holdFetches();
      const ids = new Set(previous.map((todo) => todo.id));
      write((todos) => todos.map((todo) => (ids.has(todo.id) ? { ...todo, completed } : todo)));
    },
    onError: (error, { previous }) => {
      const before = new Map(previous.map((todo) => [todo.id, todo.completed]));
      write((todos) => todos.map((todo) => (before.has(todo.id) ? { ...todo, completed: before.get(todo.id)! } : todo)));
      failed(error);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });

  const remove = useWriteAction({
    scope: WRITE_SCOPE,
    mutationFn: async (id: string) => {
      try {
        await api.remove(id);
      } catch (error) {
        // Already gone (deleted in another tab): the outcome the person asked for.
        if (!(isApiError(error) && error.code === ErrorCode.NOT_FOUND)) throw error;
      }
    },
    onSuccess: (_none, id) => dropFromCache(new Set([id])),
    onError: failed,
  });

  const clearCompleted = useWriteAction({
    scope: WRITE_SCOPE,
    mutationFn: (_ids: ReadonlySet<string>) => api.clearCompleted(),
    onSuccess: (_result, ids) => dropFromCache(ids),
    onError: failed,
  });

  /** Every change first sends a pending deletion, so the server sees them in the order made. */
  const afterPending = (change: () => void) => {
    void undo.flush();
    change();
  };

  return {
    add: (task: NewTask) =>
      afterPending(() =>
        // Last in its list: `order` is the creation time, as the API's default.
        add.mutate({ task, idempotencyKey: newIdempotencyKey(), order: Math.max(Date.now(), ...read().map((t) => t.order + 1)) }),
      ),
    update: (id: string, patch: PatchTodoInput) => afterPending(() => update.mutate({ id, patch })),
    setCompleted: (id: string, completed: boolean) => afterPending(() => update.mutate({ id, patch: { completed } })),
    rename: (id: string, title: string) => afterPending(() => update.mutate({ id, patch: { title } })),
    markAll: (listId: string, completed: boolean) =>
      afterPending(() =>
        markAll.mutate({
          completed,
          listId,
          previous: read().filter((todo) => todo.listId === listId && todo.completed !== completed && !isOptimistic(todo)),
        }),
      ),
    /** Deletes after the undo window; `afterUndo` puts focus back on the restored task. */
    remove: (todo: Todo, afterUndo?: () => void) =>
      undo.offer({
        message: `Deleted “${todo.title}”`,
        hideTasks: [todo.id],
        commit: () => remove.mutateAsync(todo.id),
        ...(afterUndo ? { afterUndo } : {}),
      }),
    /**
     * DELETE /todos?completed=true clears the completed tasks of every list (the contract has no
     * per-list clear, and one request per task is not allowed), so the toast says so.
     */
    clearCompleted: (afterUndo?: () => void) => {
      void undo.flush();
      const ids = read().filter((todo) => todo.completed && !isOptimistic(todo)).map((todo) => todo.id);
      if (ids.length === 0) return;
      const lists = new Set(read().filter((todo) => todo.completed).map((todo) => todo.listId));
      undo.offer({
        message: `Cleared ${ids.length} completed ${ids.length === 1 ? "task" : "tasks"}${lists.size > 1 ? " from all lists" : ""}`,
        hideTasks: ids,
        commit: async () => void (await clearCompleted.mutateAsync(new Set(ids))),
        ...(afterUndo ? { afterUndo } : {}),
      });
    },
  };
}

export type TaskActions = ReturnType<typeof useTaskActions>;
