/**
 * Server state of the task list: one TanStack query holding every task of the user, and the
 * writes as mutations that update the cache at once (optimistically) and roll back on failure.
 */
import { ErrorCode, type PatchTodoInput, type Todo } from "@tasks/core/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { describeApiError, isApiError } from "../api/api-error";
import { newIdempotencyKey } from "../api/todo-api";
import { useTodoApi } from "./todo-api-context";

export const todosKey = (userId: string) => ["todos", userId] as const;

const OPTIMISTIC_PREFIX = "optimistic-";
/** A task shown before the API has created it; it cannot be changed until it has an id. */
export const isOptimistic = (todo: Todo) => todo.id.startsWith(OPTIMISTIC_PREFIX);

/**
 * Every write shares one mutation scope, so writes reach the API one at a time and in the order
 * the person made them (task ids are ULIDs, so creation order is list order), and each write reads
 * the task's latest `version` from the cache right before it is sent (If-Match never goes stale
 * because of our own earlier write). The optimistic cache update still happens immediately.
 */
const WRITE_SCOPE = { id: "todo-writes" };

/** Server ids are ULIDs: sorting by id is creation order, the order the API lists them in. */
const byId = (a: Todo, b: Todo) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function useTodos(userId: string) {
  const api = useTodoApi();
  return useQuery({ queryKey: todosKey(userId), queryFn: () => api.listAll() });
}

export function useTodoActions(userId: string, reportError: (message: string) => void) {
  const api = useTodoApi();
  const queryClient = useQueryClient();
  const key = todosKey(userId);
  const read = () => queryClient.getQueryData<Todo[]>(key) ?? [];
  const write = (change: (todos: Todo[]) => Todo[]) => queryClient.setQueryData<Todo[]>(key, (old) => change(old ?? []));
  /** Stop an in-flight list fetch from overwriting an optimistic change with older data. */
  const holdFetches = () => queryClient.cancelQueries({ queryKey: key });
  const versionOf = (id: string) => read().find((todo) => todo.id === id)?.version;
  const recordSaved = (saved: Todo) =>
    write((todos) =>
      todos.map((todo) =>
        todo.id === saved.id
          ? { ...todo, version: Math.max(todo.version, saved.version), updatedAt: saved.updatedAt }
          : todo,
      ),
    );
  const failed = (error: unknown) => {
    // A 401 sends the person to the sign-in form (App's cache handler); no alert needed.
    if (!(isApiError(error) && error.isUnauthorized)) reportError(describeApiError(error));
    // Reload the list to show the server's truth — but not while later writes are still queued:
    // a reload would replace their optimistic rows; the last write to settle reloads instead.
    // (isMutating counts the mutation settling now.)
    if (queryClient.isMutating() <= 1) void queryClient.invalidateQueries({ queryKey: key });
  };

  const add = useMutation({
    scope: WRITE_SCOPE,
    mutationFn: ({ title, idempotencyKey }: { title: string; idempotencyKey: string }) =>
      api.create({ title }, idempotencyKey),
    // Safe to retry: the same Idempotency-Key makes the API return the first result, not a duplicate.
    retry: (failures, error) => failures < 3 && isApiError(error) && error.isTransient,
    retryDelay: (failures, error) =>
      Math.min(5_000, isApiError(error) && error.extra.retryAfterSeconds ? error.extra.retryAfterSeconds * 1000 : 250 * 2 ** failures),
    onMutate: async ({ title, idempotencyKey }) => {
      await holdFetches();
      const hadList = queryClient.getQueryData(key) !== undefined;
      const now = new Date().toISOString();
      const id = `${OPTIMISTIC_PREFIX}${idempotencyKey}`;
      write((todos) => [...todos, { id, title, completed: false, order: 0, createdAt: now, updatedAt: now, version: 1, listId: "default", notes: "", due: null, completedAt: null }]);
      return { id, hadList };
    },
    onSuccess: (created, _input, context) => {
      // The placeholder is gone if a reload replaced the list meanwhile: then add the task.
      write((todos) =>
        todos.some((todo) => todo.id === context.id)
          ? todos.map((todo) => (todo.id === context.id ? created : todo))
          : todos.some((todo) => todo.id === created.id)
            ? todos
            : [...todos, created].sort(byId),
      );
      // Added while the first load was still running: that load was cancelled, so load again.
      if (!context.hadList) void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (error, _input, context) => {
      if (context) write((todos) => todos.filter((todo) => todo.id !== context.id));
      failed(error);
    },
  });

  const update = useMutation({
    scope: WRITE_SCOPE,
    mutationFn: ({ id, patch }: { id: string; patch: PatchTodoInput }) => api.update(id, patch, versionOf(id)),
    onMutate: async ({ id, patch }) => {
      await holdFetches();
      const previous = read().find((todo) => todo.id === id);
      write((todos) => todos.map((todo) => (todo.id === id ? { ...todo, ...patch } : todo)));
      return { previous };
    },
    onSuccess: recordSaved,
    onError: (error, { id, patch }, context) => {
      const previous = context?.previous;
      if (previous) {
        const undo = Object.fromEntries(Object.keys(patch).map((field) => [field, previous[field as keyof Todo]]));
        write((todos) => todos.map((todo) => (todo.id === id ? { ...todo, ...undo } : todo)));
      }
      failed(error);
    },
  });

  const toggleAll = useMutation({
    scope: WRITE_SCOPE,
    // One request for any number of tasks (PATCH /todos): the server writes each changed task
    // conditionally; every version moved, so the list is read again afterwards.
    mutationFn: ({ completed }: { completed: boolean; previous: Todo[] }) => api.completeAll(completed),
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

  const restore = (removed: Todo[]) =>
    write((todos) => {
      const present = new Set(todos.map((todo) => todo.id));
      return [...todos, ...removed.filter((todo) => !present.has(todo.id))].sort(byId);
    });

  const remove = useMutation({
    scope: WRITE_SCOPE,
    mutationFn: async (id: string) => {
      try {
        await api.remove(id);
      } catch (error) {
        // Already gone (deleted in another tab): the outcome the person asked for.
        if (!(isApiError(error) && error.code === ErrorCode.NOT_FOUND)) throw error;
      }
    },
    onMutate: async (id) => {
      await holdFetches();
      const removed = read().filter((todo) => todo.id === id);
      write((todos) => todos.filter((todo) => todo.id !== id));
      return { removed };
    },
    onError: (error, _id, context) => {
      if (context) restore(context.removed);
      failed(error);
    },
  });

  const clearCompleted = useMutation({
    scope: WRITE_SCOPE,
    mutationFn: () => api.clearCompleted(),
    onMutate: async () => {
      await holdFetches();
      const removed = read().filter((todo) => todo.completed && !isOptimistic(todo));
      write((todos) => todos.filter((todo) => !todo.completed || isOptimistic(todo)));
      return { removed };
    },
    onError: (error, _none, context) => {
      if (context) restore(context.removed);
      failed(error);
    },
  });

  return {
    add: (title: string) => add.mutate({ title, idempotencyKey: newIdempotencyKey() }),
    setCompleted: (id: string, completed: boolean) => update.mutate({ id, patch: { completed } }),
    rename: (id: string, title: string) => update.mutate({ id, patch: { title } }),
    remove: (id: string) => remove.mutate(id),
    toggleAll: (completed: boolean) =>
      toggleAll.mutate({
        completed,
        previous: read().filter((todo) => todo.completed !== completed && !isOptimistic(todo)),
      }),
    clearCompleted: () => clearCompleted.mutate(),
  };
}
