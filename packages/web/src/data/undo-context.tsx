import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { createUndoStore, type UndoSnapshot, type UndoStore } from "./undo";

const UndoContext = createContext<UndoStore | null>(null);

/** One undo store per signed-in session; leaving the page sends what is pending. */
export function UndoProvider({ children, store: given }: { children: ReactNode; store?: UndoStore }) {
  const [store] = useState(() => given ?? createUndoStore());
  useEffect(() => {
    const send = () => void store.flush();
    window.addEventListener("pagehide", send);
    return () => {
      window.removeEventListener("pagehide", send);
      send();
    };
  }, [store]);
  return <UndoContext.Provider value={store}>{children}</UndoContext.Provider>;
}

export function useUndo(): UndoStore {
  const store = useContext(UndoContext);
  if (!store) throw new Error("useUndo must be used inside <UndoProvider>");
  return store;
}

export function useUndoSnapshot(): UndoSnapshot {
  const store = useUndo();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
