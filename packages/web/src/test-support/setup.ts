import { cleanup, configure } from "@testing-library/react";
import { afterAll, afterEach, beforeAll } from "vitest";
import { server } from "./msw-server";

// findBy* and waitFor wait for a condition, but give up after Testing Library's default 1 s: on
// the two shared cores here, a sign-in (Amplify's requests, a render) can take longer than that.
// The condition still decides; only the give-up point moves, within vitest's 15 s per test.
configure({ asyncUtilTimeout: 5_000 });

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  localStorage.clear();
  window.location.hash = "";
});
afterAll(() => server.close());
