/** The React binding: a component reading the view re-renders on a write and on a pull. */
import "fake-indexeddb/auto";
import { act, render, screen } from "@testing-library/react";
import { afterEach, expect, it } from "vitest";
import { createSyncApiServer, tokenOf } from "../test-support/sync-api-server";
import { SyncProvider, useSyncStatus, useSyncView, useWrite } from "./react";
import { openSyncEngine, type SyncEngine } from "./sync-engine";

let engine: SyncEngine | undefined;
afterEach(() => engine?.close());

/** Each piece reads one hook, so each hook's subscription is what re-renders it. */
function Titles() {
  const todos = useSyncView((view) => view.todos);
  return <ul>{todos.map((todo) => <li key={todo.id}>{todo.title}</li>)}</ul>;
}
function Pending() {
  return <p>pending: {useSyncStatus().pending}</p>;
}
function AddButton() {
  const write = useWrite();
  return <button onClick={() => void write({ type: "createTodo", input: { title: "from the button" } })}>add</button>;
}

it("re-renders the views on a local write and on a pull", async () => {
  const server = createSyncApiServer();
  const me = `user-${crypto.randomUUID()}`;
  server.state.online = false;
  engine = await openSyncEngine({ userId: me, apiUrl: "http://api.test", getAccessToken: async () => tokenOf(me), fetch: server.fetch, events: new EventTarget(), retry: { baseMs: 3_600_000, maxMs: 3_600_000 } });
  engine.start();
  render(<SyncProvider engine={engine}><Titles /><Pending /><AddButton /></SyncProvider>);
  await act(async () => screen.getByRole("button", { name: "add" }).click());
  expect(await screen.findByText("from the button")).toBeTruthy();
  expect(screen.getByText("pending: 1")).toBeTruthy();

  server.state.online = true;
  server.device(me).create({ title: "from the phone", order: 0 });
  await act(async () => {
    await engine!.flush();
    await engine!.settled();
  });
  expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["from the phone", "from the button"]);
  expect(screen.getByText("pending: 0")).toBeTruthy();
});
