import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { storedIdentity, isOfflineAuthError } from "../sync/stored-identity";
import { currentUser, onSessionChangedElsewhere, signOutHere, type SignedInUser } from "./cognito";

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
  /**
   * The signed-in user's session ended elsewhere (signed out in another tab, the refresh token
   * revoked): shows whoever is signed in now — another tab may have signed someone else in, whose
   * stored session must be left alone — or the sign-in screen with a notice.
   */
  endedElsewhere: () => Promise<void>;
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
  // A returning person is shown as signed in at once, from the stored tokens, so that their
  // replica paints before any network answer — an expired access token is refreshed at Cognito
  // meanwhile (refresh, below), and only its verdict can send them to sign in.
  const [state, setState] = useState<SessionState>(() => {
    const stored = userPoolClientId ? storedIdentity(userPoolClientId) : undefined;
    return stored ? { status: "signedIn", user: stored } : { status: "loading" };
  });

  const refresh = useCallback(async () => {
    try {
      const user = await currentUser();
      setState((shown) =>
        user
          ? // The same person as shown from the stored tokens: nothing to render again.
            shown.status === "signedIn" && shown.user.userId === user.userId && shown.user.email === user.email
            ? shown
            : { status: "signedIn", user }
          : shown.status === "signedIn"
            ? { status: "signedOut", notice: "Your session has expired. Please sign in again." }
            : { status: "signedOut" },
      );
    } catch (error) {
      // Offline with an expired access token: Amplify keeps the tokens, and the person is still
      // signed in (their replica opens, writes queue) until the network says otherwise.
      const stored = userPoolClientId && isOfflineAuthError(error) ? storedIdentity(userPoolClientId) : undefined;
      // An unusable stored session (e.g. the refresh token has expired) means "signed out".
      setState((shown) =>
        stored
          ? { status: "signedIn", user: stored }
          : shown.status === "signedIn"
            ? { status: "signedOut", notice: "Your session has expired. Please sign in again." }
            : { status: "signedOut" },
      );
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
  const signedInAs = state.status === "signedIn" ? state.user.userId : undefined;
  const endedElsewhere = useCallback(async () => {
    const now = await currentUser().catch(() => null);
    if (now && now.userId !== signedInAs) {
      onSignedOut?.();
      setState({ status: "signedIn", user: now });
    } else {
      await endSession("You were signed out. Please sign in again.");
    }
  }, [signedInAs, endSession, onSignedOut]);
  const expire = useCallback(() => endSession("Your session has expired. Please sign in again."), [endSession]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Signed in in another tab: this one, showing the sign-in screen, opens the app too. (A
  // sign-out elsewhere is the signed-in app's to notice: it closes the user's data first.)
  // Only a session found changes the screen: the other tab's sign-out removes its keys one by one,
  // and the last of those events must not wipe this screen's notice ("You were signed out").
  const signedOut = state.status === "signedOut";
  useEffect(() => {
    if (!signedOut) return undefined;
    return onSessionChangedElsewhere(() => {
      void currentUser()
        .catch(() => null)
        .then((user) => user && setState({ status: "signedIn", user }));
    });
  }, [signedOut]);

  const value = useMemo(() => ({ state, refresh, signOut, expire, endedElsewhere }), [state, refresh, signOut, expire, endedElsewhere]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession must be used inside <SessionProvider>");
  return session;
}
