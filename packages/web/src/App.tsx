import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { isApiError } from "./api/api-error";
import { createTodoApi } from "./api/todo-api";
import { getAccessToken } from "./auth/cognito";
import { SessionProvider, useSession } from "./auth/session";
import type { AppConfig } from "./config";
import { SignedInApp } from "./app/SignedInApp";
import { TodoApiContext } from "./data";

// Loaded only when signed out: a returning, signed-in person never downloads the sign-in flows.
const AuthScreen = lazy(() => import("./auth/AuthScreen").then((module) => ({ default: module.AuthScreen })));

const isUnauthorized = (error: unknown) => isApiError(error) && error.isUnauthorized;

export function createQueryClient(onUnauthorized: () => void): QueryClient {
  return new QueryClient({
    // Any 401 from the API, on a read or a write, ends the session (App wires this to sign-in).
    queryCache: new QueryCache({ onError: (error) => isUnauthorized(error) && onUnauthorized() }),
    mutationCache: new MutationCache({ onError: (error) => isUnauthorized(error) && onUnauthorized() }),
    defaultOptions: {
      queries: {
        // "always": show an error when the network is down instead of pausing silently.
        networkMode: "always",
        staleTime: 30_000,
        retry: (failures, error) => failures < 2 && isApiError(error) && error.isTransient,
        retryDelay: (failures) => Math.min(500 * 2 ** failures, 4_000),
      },
      mutations: { networkMode: "always" },
    },
  });
}

export function App({ config }: { config: AppConfig }) {
  const onUnauthorized = useRef<() => void>(() => undefined);
  const [queryClient] = useState(() => createQueryClient(() => onUnauthorized.current()));
  const [api] = useState(() => createTodoApi({ baseUrl: config.apiUrl, getAccessToken }));
  return (
    <QueryClientProvider client={queryClient}>
      <TodoApiContext.Provider value={api}>
        {/* Signing out drops every cached task, so the next person never sees the previous one's. */}
        <SessionProvider onSignedOut={() => queryClient.clear()} userPoolClientId={config.userPoolClientId}>
          <Screens onUnauthorized={onUnauthorized} config={config} />
        </SessionProvider>
      </TodoApiContext.Provider>
    </QueryClientProvider>
  );
}

function Screens({ onUnauthorized, config }: { onUnauthorized: { current: () => void }; config: AppConfig }) {
  const session = useSession();
  const { state, expire } = session;
  useEffect(() => {
    onUnauthorized.current = () => {
      if (state.status === "signedIn") void expire();
    };
  }, [onUnauthorized, state.status, expire]);

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
      onSignedOutElsewhere={() => void session.signOut("You were signed out. Please sign in again.")}
      onSignOut={() => void session.signOut()}
      onAccountDeleted={() => void session.signOut("Your account and all its data have been deleted.")}
    />
  );
}
