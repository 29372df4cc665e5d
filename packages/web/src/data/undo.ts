/**
 * Undo for deletions: the deletion is shown at once but its request waits (UNDO_WINDOW_MS) while a
 * toast offers Undo. Undo drops the request, so nothing was ever deleted on the server.
 *
 * Why delay rather than delete and re-create on Undo: a re-created task gets a new id, version and
 * createdAt (another device would see a delete and a create, not the same task), a deleted list
 * cannot be re-created with its tasks in one request, and "Clear completed" over n tasks would
 * need n creates — the contract allows no UI action whose requests grow with the number of tasks.
 * The price: the request goes out up to UNDO_WINDOW_MS later; any other change, signing out or
 * leaving the page sends it at once ("the undo window ends with your next change"), so writes still
 * reach the server in the order they were made.
 */
export const UNDO_WINDOW_MS = 6_000;

export interface UndoableAction {
  /** What the toast says: "Deleted “Buy milk”". */
  message: string;
  /** Hidden from every view while the action is pending or being sent. */
  hideTasks?: readonly string[];
  hideLists?: readonly string[];
  /** Sends the request; rejects when the server refused (the items show again). */
  commit: () => Promise<void>;
  /** After Undo: where focus goes (the restored item), once the views show it again. */
  afterUndo?: () => void;
}

export interface UndoSnapshot {
  pending: { id: number; message: string } | null;
  hiddenTasks: ReadonlySet<string>;
  hiddenLists: ReadonlySet<string>;
}

export type UndoStore = ReturnType<typeof createUndoStore>;

export function createUndoStore(windowMs = UNDO_WINDOW_MS) {
  let nextId = 1;
  let pending: { id: number; action: UndoableAction; timer: ReturnType<typeof setTimeout> } | null = null;
  /** Actions sent and not yet answered: their items stay hidden until the server has answered. */
  const sending = new Set<UndoableAction>();
  const listeners = new Set<() => void>();
  let snapshot: UndoSnapshot = { pending: null, hiddenTasks: new Set(), hiddenLists: new Set() };

  function publish() {
    const actions = [...sending, ...(pending ? [pending.action] : [])];
    snapshot = {
      pending: pending ? { id: pending.id, message: pending.action.message } : null,
      hiddenTasks: new Set(actions.flatMap((action) => action.hideTasks ?? [])),
      hiddenLists: new Set(actions.flatMap((action) => action.hideLists ?? [])),
    };
    for (const listener of listeners) listener();
  }

  /** Sends the pending action now (its window is over). Resolves when the server has answered. */
  async function flush(): Promise<void> {
    if (!pending) return;
    const { action, timer } = pending;
    clearTimeout(timer);
    pending = null;
    sending.add(action);
    publish();
    try {
      await action.commit();
    } catch {
      // The commit reported the failure itself; its items simply show again.
    } finally {
      sending.delete(action);
      publish();
    }
  }

  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    /** Offers a new undoable action; one pending at a time, so the previous one is sent first. */
    offer(action: UndoableAction): void {
      void flush();
      const id = nextId++;
      pending = { id, action, timer: setTimeout(() => void flush(), windowMs) };
      publish();
    },
    undo(): void {
      if (!pending) return;
      const { action, timer } = pending;
      clearTimeout(timer);
      pending = null;
      publish();
      action.afterUndo?.();
    },
    flush,
  };
}
