/**
 * Server state of the lists (GET /lists, by `position`, the default list first), and their writes.
 * A list's deletion takes its tasks with it and is undoable like a task's (./undo.ts).
 */
import { DEFAULT_LIST_ID, DEFAULT_LIST_NAME, ErrorCode, type List } from "@tasks/core/contract";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { describeApiError, isApiError } from "../api/api-error";
import { newIdempotencyKey } from "../api/todo-api";
import { useTodoApi } from "./api-context";
import { useWriteAction } from "./write-action";
import { todosKey, WRITE_SCOPE } from "./tasks";
import { useUndo, useUndoSnapshot } from "./undo-context";

export const listsKey = (userId: string) => ["lists", userId] as const;

/** Shown before GET /lists has answered: the default list exists for every user. */
const DEFAULT_LIST: List = {
  id: DEFAULT_LIST_ID, name: DEFAULT_LIST_NAME, position: 0, isDefault: true,
  createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString(), version: 1,
};

const byPosition = (a: List, b: List) =>
  Number(b.isDefault) - Number(a.isDefault) || a.position - b.position || (a.id < b.id ? -1 : 1);

export function useLists(userId: string) {
  const api = useTodoApi();
  const query = useQuery({ queryKey: listsKey(userId), queryFn: () => api.lists() });
  const { hiddenLists } = useUndoSnapshot();
  const lists = useMemo(
    () => (query.data ?? [DEFAULT_LIST]).filter((list) => !hiddenLists.has(list.id)).sort(byPosition),
    [query.data, hiddenLists],
  );
  return { query, lists };
}

export function useListActions(userId: string, reportError: (message: string) => void) {
  const api = useTodoApi();
  const undo = useUndo();
  const queryClient = useQueryClient();
  const key = listsKey(userId);
  const read = () => queryClient.getQueryData<List[]>(key) ?? [];
  const write = (change: (lists: List[]) => List[]) => queryClient.setQueryData<List[]>(key, (old) => change(old ?? []));
  const failed = (error: unknown) => {
    if (!(isApiError(error) && error.isUnauthorized)) reportError(describeApiError(error));
    void queryClient.invalidateQueries({ queryKey: key });
  };

  const create = useWriteAction({
    scope: WRITE_SCOPE,
    mutationFn: ({ name, idempotencyKey }: { name: string; idempotencyKey: string }) =>
      api.createList({ name }, idempotencyKey),
    retry: (failures, error) => failures < 3 && isApiError(error) && error.isTransient,
    onSuccess: (created) => write((lists) => [...lists.filter((list) => list.id !== created.id), created]),
    onError: failed,
  });

  const rename = useWriteAction({
    scope: WRITE_SCOPE,
    mutationFn: ({ id, name }: { id: string; name: string }) =>
      api.updateList(id, { name }, read().find((list) => list.id === id)?.version),
    onMutate: async ({ id, name }) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = read().find((list) => list.id === id);
      write((lists) => lists.map((list) => (list.id === id ? { ...list, name } : list)));
      return { previous };
    },
    onSuccess: (saved) => write((lists) => lists.map((list) => (list.id === saved.id ? saved : list))),
    onError: (error, { id }, context) => {
      const previous = context?.previous;
      if (previous) write((lists) => lists.map((list) => (list.id === id ? previous : list)));
      failed(error);
    },
  });

  const remove = useWriteAction({
    scope: WRITE_SCOPE,
    mutationFn: async (id: string) => {
      try {
        await api.removeList(id);
      } catch (error) {
        if (!(isApiError(error) && error.code === ErrorCode.NOT_FOUND)) throw error;
      }
    },
    onSuccess: (_none, id) => {
      write((lists) => lists.filter((list) => list.id !== id));
      // Its tasks are gone with it (DESIGN.md: no read shows any of them afterwards).
      queryClient.setQueryData<Array<{ listId: string }>>(todosKey(userId), (todos) => todos?.filter((todo) => todo.listId !== id));
    },
    onError: failed,
  });

  return {
    /** Resolves with the created list (the caller goes to it); rejects after reporting the failure. */
    create: async (name: string): Promise<List> => {
      await undo.flush();
      return create.mutateAsync({ name, idempotencyKey: newIdempotencyKey() });
    },
    rename: (id: string, name: string) => {
      void undo.flush();
      rename.mutate({ id, name });
    },
    remove: (list: List, afterUndo?: () => void) =>
      undo.offer({
        message: `Deleted the list “${list.name}”`,
        hideLists: [list.id],
        commit: () => remove.mutateAsync(list.id),
        ...(afterUndo ? { afterUndo } : {}),
      }),
  };
}

export type ListActions = ReturnType<typeof useListActions>;
