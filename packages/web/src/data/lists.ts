/**
 * The lists as the views see them (the sync engine's view, the default list first), and their
 * writes through the queue. A list's deletion takes its tasks with it and is undoable like a
 * task's (./undo.ts).
 */
import { DEFAULT_LIST_ID, DEFAULT_LIST_NAME, type List } from "@tasks/core/contract";
import { useMemo } from "react";
import { useSyncView } from "../sync/react";
import { useLoadState, useQueueWrite } from "./tasks";
import { useUndo, useUndoSnapshot } from "./undo-context";

/** Shown before the first pull: the default list exists for every user (a task can be added to it at once). */
const BEFORE_FIRST_PULL: readonly List[] = [
  {
    id: DEFAULT_LIST_ID, name: DEFAULT_LIST_NAME, position: 0, isDefault: true,
    createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString(), version: 1,
  },
];

const byPosition = (a: List, b: List) =>
  Number(b.isDefault) - Number(a.isDefault) || a.position - b.position || (a.id < b.id ? -1 : 1);

export function useLists() {
  const all = useSyncView((view) => view.lists);
  const query = useLoadState();
  const { hiddenLists } = useUndoSnapshot();
  const lists = useMemo(() => (all.length === 0 ? BEFORE_FIRST_PULL : all).filter((list) => !hiddenLists.has(list.id)).sort(byPosition), [all, hiddenLists]);
  return { query, lists };
}

export function useListActions(reportError: (message: string) => void) {
  const undo = useUndo();
  const queue = useQueueWrite(reportError);

  return {
    /** Resolves with the id the new list shows under (a local id until the server has it). */
    create: async (name: string): Promise<{ id: string }> => {
      await undo.flush();
      const { id } = await queue({ type: "createList", input: { name } });
      return { id: id! };
    },
    rename: (id: string, name: string) => {
      void undo.flush();
      void queue({ type: "updateList", id, patch: { name } }).catch(() => undefined);
    },
    remove: (list: List, afterUndo?: () => void) =>
      undo.offer({
        message: `Deleted the list “${list.name}”`,
        hideLists: [list.id],
        commit: async () => void (await queue({ type: "deleteList", id: list.id })),
        ...(afterUndo ? { afterUndo } : {}),
      }),
  };
}

export type ListActions = ReturnType<typeof useListActions>;
