/**
 * "A new version is ready — reload": shown when the service worker has installed a new version of
 * the app. The views mount `<UpdatePrompt />` once (anywhere), or build their own with
 * `useAppUpdate()`. Reloading is the person's choice: an automatic reload could drop what they are
 * typing (their writes are safe either way: they are in the IndexedDB queue).
 */
import { useSyncExternalStore } from "react";
import { appUpdates, type AppUpdateStore } from "./update-store";
import "./update-prompt.css";

export function useAppUpdate(store: AppUpdateStore = appUpdates) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  return { ...state, reload: store.apply, dismiss: store.dismiss };
}

export function UpdatePrompt({ store = appUpdates }: { store?: AppUpdateStore }) {
  const { needRefresh, reload, dismiss } = useAppUpdate(store);
  if (!needRefresh) return null;
  return (
    <div className="update-prompt" role="status">
      <span>A new version is ready.</span>
      <button type="button" onClick={() => void reload()}>
        Reload
      </button>
      <button type="button" onClick={dismiss}>
        Later
      </button>
    </div>
  );
}
