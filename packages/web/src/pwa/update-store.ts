/**
 * What the service worker says about the app itself: ready to work offline, or a new version
 * waiting. Framework-agnostic, so that the registration (service-worker.ts, which needs the
 * build's virtual module) and the prompt (UpdatePrompt.tsx) meet here and tests can drive it.
 */
export interface AppUpdateState {
  /** A new version is installed and waiting: `apply()` reloads into it. */
  needRefresh: boolean;
  /** The app shell is cached: the app opens with no network from now on. */
  offlineReady: boolean;
}

export interface AppUpdateStore {
  getState(): AppUpdateState;
  subscribe(listener: () => void): () => void;
  needRefresh(): void;
  offlineReady(): void;
  /** The person chose "reload": activate the waiting version and reload the page. */
  apply(): Promise<void>;
  /** The person chose "later": the new version waits for the next visit. */
  dismiss(): void;
  /** Set by the registration: how to activate the waiting version. */
  setActivate(activate: () => Promise<void>): void;
}

export function createAppUpdateStore(): AppUpdateStore {
  let state: AppUpdateState = { needRefresh: false, offlineReady: false };
  let activate: () => Promise<void> = async () => undefined;
  const listeners = new Set<() => void>();
  const set = (patch: Partial<AppUpdateState>) => {
    state = { ...state, ...patch };
    for (const listener of [...listeners]) listener();
  };
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    needRefresh: () => set({ needRefresh: true }),
    offlineReady: () => set({ offlineReady: true }),
    apply: () => activate(),
    dismiss: () => set({ needRefresh: false }),
    setActivate(next) {
      activate = next;
    },
  };
}

/** The app's one store; the registration and the prompt both use it. */
export const appUpdates = createAppUpdateStore();
