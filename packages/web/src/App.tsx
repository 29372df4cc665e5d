import { lazy, Suspense, useState } from "react";
import { createTodoApi } from "./api/todo-api";
import { getAccessToken } from "./auth/cognito";
import { SessionProvider, useSession } from "./auth/session";
import type { AppConfig } from "./config";
import { SignedInApp } from "./app/SignedInApp";
import { TodoApiContext } from "./data";

// Loaded only when signed out: a returning, signed-in person never downloads the sign-in flows.
const AuthScreen = lazy(() => import("./auth/AuthScreen").then((module) => ({ default: module.AuthScreen })));

export function App({ config }: { config: AppConfig }) {
  const [api] = useState(() => createTodoApi({ baseUrl: config.apiUrl, getAccessToken }));
  return (
    <TodoApiContext.Provider value={api}>
      <SessionProvider userPoolClientId={config.userPoolClientId}>
        <Screens config={config} />
      </SessionProvider>
    </TodoApiContext.Provider>
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
  if (state.status === "signedOut") {
    return (
      <Suspense fallback={loading}>
        <AuthScreen key={state.notice ?? ""} notice={state.notice} />
      </Suspense>
    );
  }
  return (
    <SignedInApp
      key={state.user.userId}
      user={state.user}
      config={config}
      onSignedOutElsewhere={() => void session.endedElsewhere()}
      onSignOut={() => void session.signOut()}
      onAccountDeleted={() => void session.signOut("Your account and all its data have been deleted.")}
    />
  );
}
