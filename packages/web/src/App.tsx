import { lazy, Suspense, useEffect } from "react";
import { SessionProvider, useSession } from "./auth/session";
import type { AppConfig } from "./config";
import { AuthScreen } from "./auth/AuthScreen";

// The signed-in app is its own chunk: the sign-in page — the first thing a new visitor loads —
// paints without downloading or running it. A returning person is signed in from the first render
// (auth/session.tsx), so its fetch starts at once (from the service worker's cache).
const loadSignedInApp = () => import("./app/SignedInApp");
const SignedInApp = lazy(() => loadSignedInApp().then((module) => ({ default: module.SignedInApp })));

/** Fetches the signed-in app while the person is still typing, so that signing in does not wait for it. */
function usePrefetchOnFirstInput() {
  useEffect(() => {
    const prefetch = () => {
      void loadSignedInApp();
      remove();
    };
    const events = ["keydown", "pointerdown", "focusin"] as const;
    const remove = () => events.forEach((event) => document.removeEventListener(event, prefetch));
    events.forEach((event) => document.addEventListener(event, prefetch));
    return remove;
  }, []);
}

export function App({ config }: { config: AppConfig }) {
  return (
    <SessionProvider userPoolClientId={config.userPoolClientId}>
      <Screens config={config} />
    </SessionProvider>
  );
}

function Screens({ config }: { config: AppConfig }) {
  const session = useSession();
  const { state } = session;

  const loading = (
    <p className="session-loading" role="status">
      Loading…
    </p>
  );
  if (state.status === "loading") return loading;
  if (state.status === "signedOut") return <SignedOut notice={state.notice} />;
  return (
    <Suspense fallback={loading}>
      <SignedInApp
        key={state.user.userId}
        user={state.user}
        config={config}
        onSignedOutElsewhere={() => void session.endedElsewhere()}
        onSignOut={() => void session.signOut()}
        onAccountDeleted={() => void session.signOut("Your account and all its data have been deleted.")}
      />
    </Suspense>
  );
}

function SignedOut({ notice }: { notice: string | undefined }) {
  usePrefetchOnFirstInput();
  return <AuthScreen key={notice ?? ""} notice={notice} />;
}
