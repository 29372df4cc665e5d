/**
 * The React binding of the sync engine: the views read the replica's view and the sync status
 * through these hooks and write through `useWrite` — no component fetches, knows a URL or retries.
 *
 *   <SyncProvider engine={engine}>…</SyncProvider>
 *   const todos = useSyncView((view) => view.todos);            // re-renders when they change
 *   const { online, pending } = useSyncStatus();
 *   const write = useWrite(); write({ type: "createTodo", input: { title } });
 *
 * Selectors should return a part of the view as it is (or a memoised value): the view object is
 * replaced on every change, so a selector that builds a new array on each call re-renders always.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { SyncView } from "./local-view";
import type { SyncEngine, SyncStatus } from "./sync-engine";

const SyncContext = createContext<SyncEngine | null>(null);

export function SyncProvider({ engine, children }: { engine: SyncEngine; children: ReactNode }) {
  return <SyncContext.Provider value={engine}>{children}</SyncContext.Provider>;
}

export function useSyncEngine(): SyncEngine {
  const engine = useContext(SyncContext);
  if (!engine) throw new Error("useSyncEngine needs a <SyncProvider>");
  return engine;
}

export function useSyncView<T = SyncView>(select: (view: SyncView) => T = (view) => view as T): T {
  const engine = useSyncEngine();
  return useSyncExternalStore(engine.subscribe, () => select(engine.getView()));
}

export function useSyncStatus(): SyncStatus {
  const engine = useSyncEngine();
  return useSyncExternalStore(engine.subscribe, engine.getStatus);
}

export function useWrite(): SyncEngine["write"] {
  return useSyncEngine().write;
}
