/**
 * The signed-in user's sync engine (src/sync/): opened per user when the app shell mounts, closed
 * when it unmounts. Everything the views read comes from its replica (`useSyncView`) and every
 * write goes through its queue (`useWrite`), so the app works offline and converges when online.
 */
import { useEffect, useState, type ReactNode } from "react";
import { getAccessToken, onSessionChangedElsewhere } from "../auth/cognito";
import type { AppConfig } from "../config";
import { SyncProvider, useSyncEngine } from "../sync/react";
import { deleteUserData, openSyncEngine, type SyncEngine } from "../sync/sync-engine";

export function SyncSession({
  userId,
  config,
  onSignedOut,
  fallback,
  children,
}: {
  userId: string;
  config: Pick<AppConfig, "apiUrl" | "wsUrl">;
  /** No token can be had any more: signed out elsewhere, or the refresh token was revoked. */
  onSignedOut: () => void;
  fallback: ReactNode;
  children: ReactNode;
}) {
  const [engine, setEngine] = useState<SyncEngine | null>(null);
  useEffect(() => {
    let opened: SyncEngine | undefined;
    let cancelled = false;
    void openSyncEngine({
      userId,
      apiUrl: config.apiUrl,
      getAccessToken: ({ forceRefresh }) => getAccessToken({ forceRefresh, userId }),
      ...(config.wsUrl ? { live: { url: config.wsUrl } } : {}),
      onSignedOut: () => {
        opened?.close();
        void deleteUserData(userId);
        onSignedOut();
      },
    }).then((engine) => {
      if (cancelled) return engine.close();
      opened = engine;
      engine.start();
      setEngine(engine);
    });
    return () => {
      cancelled = true;
      opened?.close();
    };
    // The engine lives as long as the user's session; onSignedOut is read when it fires.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [userId, config.apiUrl, config.wsUrl]);
  // Signed out (or someone else signed in) in another tab: noticed now, not at the next request.
  useEffect(() => (engine ? onSessionChangedElsewhere(() => void engine.checkSession()) : undefined), [engine]);
  if (!engine) return <>{fallback}</>;
  return <SyncProvider engine={engine}>{children}</SyncProvider>;
}

/**
 * Signing out here: sends what the queue holds if the network lets it (briefly), then removes the
 * user's replica and queue from this browser — the next person never sees this one's data.
 */
export function useEndSyncSession(userId: string) {
  const engine = useSyncEngine();
  return async ({ send = true }: { send?: boolean } = {}) => {
    if (send) await Promise.race([engine.flush().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    engine.close();
    // Not awaited: IndexedDB deletes once every tab's connection is closed, which the user's other
    // tabs do when they notice the sign-out.
    void deleteUserData(userId);
  };
}

export function useServerIdOf(): (localId: string) => Promise<string | undefined> {
  return useSyncEngine().serverIdOf;
}
