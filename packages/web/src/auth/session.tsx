import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { storedIdentity, isOfflineAuthError } from "../sync/stored-identity";
import { currentUser, signOutHere, type SignedInUser } from "./cognito";

export type SessionState =
  | { status: "loading" }
  | { status: "signedOut"; notice?: string }
  | { status: "signedIn"; user: SignedInUser };

export interface Session {
  state: SessionState;
  /** Re-reads the session from Amplify (after a sign-in). */
  refresh: () => Promise<void>;
  /** With a notice, the sign-in screen says why ("Your account has been deleted."). */
  signOut: (notice?: string) => Promise<void>;
  /** The API said 401: drop the local session and ask the person to sign in again. */
  expire: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({
  children,
  onSignedOut,
  userPoolClientId,
}: {
  children: ReactNode;
  onSignedOut?: () => void;
  /** Whose tokens to read when an offline start cannot refresh them (./sync/stored-identity.ts). */
  userPoolClientId?: string;
}) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const refresh = useCallback(async () => {
    try {
      const user = await currentUser();
      setState(user ? { status: "signedIn", user } : { status: "signedOut" });
    } catch (error) {
      // Offline with an expired access token: Amplify keeps the tokens, and the person is still
      // signed in (their replica opens, writes queue) until the network says otherwise.
      const stored = userPoolClientId && isOfflineAuthError(error) ? storedIdentity(userPoolClientId) : undefined;
      // An unusable stored session (e.g. the refresh token has expired) means "signed out".
      setState(stored ? { status: "signedIn", user: stored } : { status: "signedOut" });
    }
  }, [userPoolClientId]);

  const endSession = useCallback(
    async (notice?: string) => {
      await signOutHere();
      onSignedOut?.();
      setState(notice ? { status: "signedOut", notice } : { status: "signedOut" });
    },
    [onSignedOut],
  );

  const signOut = useCallback((notice?: string) => endSession(notice), [endSession]);
  const expire = useCallback(() => endSession("Your session has expired. Please sign in again."), [endSession]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ state, refresh, signOut, expire }), [state, refresh, signOut, expire]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession must be used inside <SessionProvider>");
  return session;
}
