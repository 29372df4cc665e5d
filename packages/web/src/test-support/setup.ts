// The sync engine's replica and write queue live in IndexedDB: a real implementation in memory.
import "fake-indexeddb/auto";
import { cleanup, configure } from "@testing-library/react";
import { IDBFactory } from "fake-indexeddb";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { server } from "./msw-server";

// findBy* and waitFor wait for a condition, but give up after Testing Library's default 1 s: on
// the two shared cores here, a sign-in (Amplify's requests, a render) can take longer than that.
// The condition still decides; only the give-up point moves, within vitest's 15 s per test.
configure({ asyncUtilTimeout: 5_000 });

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
// Every test starts with an empty browser: no replica, no queued writes of an earlier test.
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
  localStorage.clear();
  window.location.hash = "";
});
afterAll(() => server.close());
