import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
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

export function SessionProvider({ children, onSignedOut }: { children: ReactNode; onSignedOut?: () => void }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const refresh = useCallback(async () => {
    try {
      const user = await currentUser();
      setState(user ? { status: "signedIn", user } : { status: "signedOut" });
    } catch {
      // An unusable stored session (e.g. the refresh token has expired) means "signed out".
      setState({ status: "signedOut" });
    }
  }, []);

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
