import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { signOut } from "aws-amplify/auth";
import { describe, expect, it } from "vitest";
import { signInWithEmail } from "../auth/account";
import { jwtPayload } from "../test-support/jwt";
import { server } from "../test-support/msw-server";
import { renderApp, signInThroughForm, signOutThroughMenu, TEST_PASSWORD } from "../test-support/render-app";
import { COGNITO_ENDPOINT } from "../test-support/cognito-service";
import { API_URL } from "../test-support/tasks-api-service";

type Seed = Array<string | { title: string; completed: boolean }>;

/** The app, signed in as ana@example.com whose list holds `seed`. */
async function signedIn(seed: Seed = []) {
  const app = renderApp();
  const userId = app.cognito.addUser("ana@example.com", TEST_PASSWORD);
  app.api.seed(userId, seed);
  await signInThroughForm(app.user, "ana@example.com");
  return { ...app, userId };
}

const list = () => document.querySelector<HTMLUListElement>(".todo-list");
const items = () => Array.from(document.querySelectorAll<HTMLLIElement>(".todo-list li"));
const titles = () => items().map((li) => li.querySelector("label")?.textContent);
const count = () => document.querySelector(".todo-count")?.textContent;
const newTodo = () => screen.getByRole("textbox", { name: "New task" });
/** A promise the test resolves when it has looked at the optimistic state. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}
const item = (title: string) => items().find((li) => li.querySelector("label")?.textContent === title)!;

describe("task list: loading and showing", () => {
  it("shows a loading state, then an empty state, with no main section or footer", async () => {
    const app = renderApp();
    app.cognito.addUser("ana@example.com", TEST_PASSWORD);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.get(`${API_URL}/sync`, async () => {
        await gate;
        return HttpResponse.json({ changes: [], cursor: "c0", hasMore: false });
      }),
    );
    await signInThroughForm(app.user, "ana@example.com");
    expect(screen.getByText("Loading your tasks…").getAttribute("role")).toBe("status");
    // The new-task field is usable while the list loads: no full-page spinner.
    expect(newTodo()).toBe(document.activeElement);
    release();
    expect(await screen.findByText("No tasks yet. Add your first one above.")).toBeTruthy();
    expect(document.querySelector(".main")).toBeNull();
    expect(document.querySelector(".footer")).toBeNull();
  });

  it("loads a long list from the replica's first pull (GET /sync), not page by page of GET /todos", async () => {
    const seed = Array.from({ length: 130 }, (_, i) => `Task ${i + 1}`);
    const { api } = await signedIn(seed);
    await waitFor(() => expect(items()).toHaveLength(130));
    expect(titles()[0]).toBe("Task 1");
    expect(titles()[129]).toBe("Task 130");
    expect(api.requests.filter((r) => r.method === "GET").map((r) => r.path)).not.toContain("/todos");
    expect(api.requests.some((r) => r.method === "GET" && r.path === "/sync")).toBe(true);
    expect(count()).toBe("130 items left");
  });

  it("renders titles as text, never as HTML", async () => {
    await signedIn(['<img src=x onerror="alert(1)"> & <b>bold</b>']);
    await waitFor(() => expect(items()).toHaveLength(1));
    expect(titles()).toEqual(['<img src=x onerror="alert(1)"> & <b>bold</b>']);
    expect(list()!.querySelector("img, b")).toBeNull();
  });

  it("calls the API with the Cognito access token, not the ID token", async () => {
    const { api, userId } = await signedIn(["a"]);
    await waitFor(() => expect(items()).toHaveLength(1));
    const token = api.requests[0]!.headers.get("authorization")!.replace(/^Bearer /, "");
    expect(jwtPayload(token)).toMatchObject({ token_use: "access", sub: userId });
  });

  it("loads the tasks once the service answers again when the first pull failed (the engine retries)", async () => {
    const app = renderApp();
    app.cognito.addUser("ana@example.com", TEST_PASSWORD);
    let refused = 0;
    server.use(
      http.get(`${API_URL}/sync`, () => {
        refused++;
        return HttpResponse.json({ error: { code: "INTERNAL", message: "Internal error", requestId: "r1" } }, { status: 500 });
      }, { once: true }),
    );
    app.api.seed(app.cognito.user("ana@example.com")!.sub, ["Survivor"]);
    await signInThroughForm(app.user, "ana@example.com");
    await waitFor(() => expect(titles()).toEqual(["Survivor"]));
    expect(refused).toBe(1);
  });
});

describe("task list: a failed refresh", () => {
  it("keeps showing the tasks and the change made when the pull after a write fails", async () => {
    const { user, api, userId } = await signedIn(["Kept"]);
    await waitFor(() => expect(titles()).toEqual(["Kept"]));
    const failing = () =>
      HttpResponse.json({ error: { code: "INTERNAL", message: "Internal error", requestId: "r2" } }, { status: 500 });
    server.use(http.get(`${API_URL}/sync`, failing, { once: true }));
    await user.click(within(item("Kept")).getByRole("checkbox"));
    await waitFor(() => expect(api.todos(userId)[0]!.completed).toBe(true));
    expect(titles()).toEqual(["Kept"]);
    expect(item("Kept").className).toContain("completed");
  });
});

describe("task list: TodoMVC behaviour through the API", () => {
  it("adds a trimmed task on Enter, ignores an empty one, and keeps the field focused", async () => {
    const { user, api, userId } = await signedIn();
    await screen.findByText("No tasks yet. Add your first one above.");
    await user.type(newTodo(), "   {Enter}");
    await user.type(newTodo(), "  Buy milk  {Enter}");
    await waitFor(() => expect(api.todos(userId).map((t) => t.title)).toEqual(["Buy milk"]));
    expect(titles()).toEqual(["Buy milk"]);
    expect((newTodo() as HTMLInputElement).value).toBe("");
    expect(document.activeElement).toBe(newTodo());
    expect(count()).toBe("1 item left");

    await user.type(newTodo(), "Walk the dog{Enter}");
    await waitFor(() => expect(count()).toBe("2 items left"));
    // Shown at once; the queue sends the creates after, one at a time, in order.
    await waitFor(() => expect(api.requests.filter((r) => r.method === "POST")).toHaveLength(2));
    const posts = api.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.body)).toEqual([
      { title: "Buy milk", order: expect.any(Number) },
      { title: "Walk the dog", order: expect.any(Number) },
    ]);
    // Each new task goes last in its list.
    const [first, second] = posts.map((r) => (r.body as { order: number }).order);
    expect(second!).toBeGreaterThan(first!);
    const keys = posts.map((r) => r.headers.get("idempotency-key"));
    expect(keys.every(Boolean)).toBe(true);
    expect(new Set(keys).size).toBe(2);
  });

  it("toggles a task with If-Match and updates the count", async () => {
    const { user, api, userId } = await signedIn(["Buy milk", "Walk the dog"]);
    await waitFor(() => expect(items()).toHaveLength(2));
    await user.click(within(item("Buy milk")).getByRole("checkbox", { name: "Buy milk" }));
    expect(item("Buy milk").className).toContain("completed");
    // The count follows the queued write (the check itself shows in the event: the test below).
    await waitFor(() => expect(count()).toBe("1 item left"));
    await waitFor(() => expect(api.todos(userId)[0]!.completed).toBe(true));
    const patch = api.requests.find((r) => r.method === "PATCH")!;
    expect(patch.body).toEqual({ completed: true });
    expect(patch.headers.get("if-match")).toBe("1");

    // Toggling back right away is sent after the first write, with the version it produced.
    await user.click(within(item("Buy milk")).getByRole("checkbox", { name: "Buy milk" }));
    await user.click(within(item("Buy milk")).getByRole("checkbox", { name: "Buy milk" }));
    await waitFor(() => expect(api.todos(userId)[0]!.version).toBe(4));
    expect(api.requests.filter((r) => r.method === "PATCH").map((r) => r.headers.get("if-match"))).toEqual(["1", "2", "3"]);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows a click on a checkbox at once, in the same event, before the write is even sent", async () => {
    // A controlled checkbox is reset to its prop at the end of the click's event; the cache
    // update of the optimistic write comes later (after cancelQueries, batched notifications),
    // so without state set in the event itself the box would flick back and only then turn on.
    const { user, api, userId } = await signedIn(["Buy milk", { title: "Walk the dog", completed: true }]);
    await waitFor(() => expect(items()).toHaveLength(2));
    const box = (title: string) => within(item(title)).getByRole<HTMLInputElement>("checkbox", { name: title });
    const toggleAll = () => screen.getByRole<HTMLInputElement>("checkbox", { name: "Mark all as complete" });

    act(() => box("Buy milk").click()); // synchronous: nothing else runs before the next line
    expect(box("Buy milk").checked).toBe(true);
    await waitFor(() => expect(item("Buy milk").className).toContain("completed"));
    expect(box("Buy milk").checked).toBe(true);
    // Mark all follows the tasks' data, which the optimistic write updates a moment later.
    await waitFor(() => expect(toggleAll().checked).toBe(true));
    await waitFor(() => expect(api.todos(userId)[0]!.completed).toBe(true));

    act(() => box("Walk the dog").click());
    expect(box("Walk the dog").checked).toBe(false);
    await waitFor(() => expect(api.todos(userId)[1]!.completed).toBe(false));

    act(() => toggleAll().click());
    expect(toggleAll().checked).toBe(true);
    await waitFor(() => expect(api.todos(userId).every((t) => t.completed)).toBe(true));
    expect(toggleAll().checked).toBe(true);
    expect(box("Buy milk").checked && box("Walk the dog").checked).toBe(true);

    // A saved edit shows its new title at once too, not the old one until the cache catches up.
    await user.dblClick(within(item("Buy milk")).getByText("Buy milk"));
    const edit = screen.getByRole("textbox", { name: "Edit Buy milk" });
    await user.clear(edit);
    await user.type(edit, "Buy oat milk");
    act(() => void fireEvent.keyDown(edit, { key: "Enter" }));
    expect(titles()).toEqual(["Buy oat milk", "Walk the dog"]);
    await waitFor(() => expect(api.todos(userId)[0]!.title).toBe("Buy oat milk"));
    expect(titles()).toEqual(["Buy oat milk", "Walk the dog"]);
  });

  it("edits on double-click: Enter saves, Escape cancels, blur saves, empty deletes", async () => {
    const { user, api, userId } = await signedIn(["Buy milk", "Walk the dog"]);
    await waitFor(() => expect(items()).toHaveLength(2));

    await user.dblClick(within(item("Buy milk")).getByText("Buy milk"));
    expect(item("Buy milk").className).toContain("editing");
    const edit = screen.getByRole("textbox", { name: "Edit Buy milk" }) as HTMLInputElement;
    expect(document.activeElement).toBe(edit);
    expect(edit.value).toBe("Buy milk");
    await user.clear(edit);
    await user.type(edit, "  Buy oat milk {Enter}");
    expect(titles()).toEqual(["Buy oat milk", "Walk the dog"]);
    expect(document.querySelector(".editing")).toBeNull();
    // Focus returns to the task that was edited.
    expect(document.activeElement).toBe(within(item("Buy oat milk")).getByRole("checkbox", { name: "Buy oat milk" }));
    await waitFor(() => expect(api.todos(userId)[0]!.title).toBe("Buy oat milk"));

    await user.dblClick(within(item("Walk the dog")).getByText("Walk the dog"));
    await user.type(screen.getByRole("textbox", { name: "Edit Walk the dog" }), " twice{Escape}");
    expect(titles()).toEqual(["Buy oat milk", "Walk the dog"]);

    await user.dblClick(within(item("Walk the dog")).getByText("Walk the dog"));
    await user.type(screen.getByRole("textbox", { name: "Edit Walk the dog" }), " at noon");
    await user.click(newTodo()); // blur
    expect(titles()).toEqual(["Buy oat milk", "Walk the dog at noon"]);

    await user.dblClick(within(item("Buy oat milk")).getByText("Buy oat milk"));
    await user.clear(screen.getByRole("textbox", { name: "Edit Buy oat milk" }));
    await user.keyboard("{Enter}");
    expect(titles()).toEqual(["Walk the dog at noon"]);
    await user.click(screen.getByRole("button", { name: "Close" })); // the undo toast: delete now
    await waitFor(() => expect(api.todos(userId).map((t) => t.title)).toEqual(["Walk the dog at noon"]));
    const writes = api.writes().map((r) => `${r.method} ${JSON.stringify(r.body ?? null)}`);
    expect(writes).toEqual([
      'PATCH {"title":"Buy oat milk"}',
      'PATCH {"title":"Walk the dog at noon"}',
      "DELETE null",
    ]);
  });

  it("edits from the keyboard: F2 on a task's check edits in place; its details button edits the title", async () => {
    const { user, api, userId } = await signedIn(["Buy milk"]);
    await waitFor(() => expect(items()).toHaveLength(1));
    within(item("Buy milk")).getByRole("checkbox").focus();
    await user.keyboard("{F2}");
    expect(document.activeElement).toBe(screen.getByRole("textbox", { name: "Edit Buy milk" }));
    await user.keyboard("{Escape}");

    // The visible way: every task has a details button; its title field has focus.
    await user.click(screen.getByRole("button", { name: "Details of Buy milk" }));
    const title = await screen.findByRole("textbox", { name: "Title" });
    expect(document.activeElement).toBe(title);
    await user.clear(title);
    await user.type(title, "Buy oat milk{Enter}");
    await waitFor(() => expect(api.todos(userId)[0]!.title).toBe("Buy oat milk"));
    expect(titles()).toEqual(["Buy oat milk"]);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("complementary", { name: "Task details" })).toBeNull();
    // Focus goes back to the button that opened the details.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("button", { name: "Details of Buy oat milk" })));
  });

  it("deletes a task with its delete button, focus moving to the next task, after the undo window", async () => {
    const { user, api, userId } = await signedIn(["Buy milk", "Walk the dog"]);
    await waitFor(() => expect(items()).toHaveLength(2));
    await user.click(screen.getByRole("button", { name: "Delete Buy milk" }));
    expect(titles()).toEqual(["Walk the dog"]);
    expect(document.activeElement).toBe(within(item("Walk the dog")).getByRole("checkbox"));
    expect(screen.getByText("Deleted “Buy milk”")).toBeTruthy();
    // Nothing is sent while Undo is offered; closing the toast sends the delete.
    expect(api.writes()).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Close" }));
    await waitFor(() => expect(api.todos(userId).map((t) => t.title)).toEqual(["Walk the dog"]));
    expect(document.activeElement).not.toBe(document.body);
  });

  it("undoes a delete: the task comes back where it was, focused, and nothing was sent", async () => {
    const { user, api } = await signedIn(["Buy milk", "Walk the dog", "Call mum"]);
    await waitFor(() => expect(items()).toHaveLength(3));
    await user.click(screen.getByRole("button", { name: "Delete Walk the dog" }));
    expect(titles()).toEqual(["Buy milk", "Call mum"]);
    await user.click(screen.getByRole("button", { name: "Undo" }));
    expect(titles()).toEqual(["Buy milk", "Walk the dog", "Call mum"]);
    await waitFor(() => expect(document.activeElement).toBe(within(item("Walk the dog")).getByRole("checkbox")));
    expect(screen.queryByText("Deleted “Walk the dog”")).toBeNull();
    // The next change ends any undo window: here there is none left, so only the toggle goes out.
    await user.click(within(item("Call mum")).getByRole("checkbox"));
    await waitFor(() => expect(api.writes()).toHaveLength(1));
    expect(api.writes()[0]!.method).toBe("PATCH");
  });

  it("sends a pending delete before the next change, so the server sees them in order", async () => {
    const { user, api } = await signedIn(["Buy milk", "Walk the dog"]);
    await waitFor(() => expect(items()).toHaveLength(2));
    await user.click(screen.getByRole("button", { name: "Delete Buy milk" }));
    await user.click(within(item("Walk the dog")).getByRole("checkbox"));
    await waitFor(() => expect(api.writes().map((r) => r.method)).toEqual(["DELETE", "PATCH"]));
  });

  it("undoes Clear completed with one click: no request at all", async () => {
    const { user, api } = await signedIn(["a", { title: "b", completed: true }, { title: "c", completed: true }]);
    await waitFor(() => expect(items()).toHaveLength(3));
    await user.click(screen.getByRole("button", { name: "Clear completed" }));
    expect(titles()).toEqual(["a"]);
    // The button is gone with the completed tasks: focus continues in the new-task field.
    expect(document.activeElement).toBe(newTodo());
    expect(screen.getByText("Cleared 2 completed tasks")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Undo" }));
    expect(titles()).toEqual(["a", "b", "c"]);
    expect(document.activeElement).not.toBe(document.body);
    expect(api.writes()).toEqual([]);
  });

  it("marks all complete and clears completed tasks with one API call", async () => {
    const { user, api, userId } = await signedIn(["a", { title: "b", completed: true }, "c"]);
    await waitFor(() => expect(items()).toHaveLength(3));
    await user.click(screen.getByRole("checkbox", { name: "Mark all as complete" }));
    // The control shows the click at once; the rows and the count follow the queued write.
    expect((screen.getByRole("checkbox", { name: "Mark all as complete" }) as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(items().every((li) => li.className.includes("completed"))).toBe(true));
    expect(count()).toBe("0 items left");
    await waitFor(() => expect(api.todos(userId).every((t) => t.completed)).toBe(true));
    // One request, whatever the number of tasks: the collection PATCH for the tasks not yet done.
    const query = (search: string) => Object.fromEntries(new URLSearchParams(search));
    expect(api.writes().filter((r) => r.method === "PATCH").map((r) => [r.path, query(r.search)])).toEqual([["/todos", { listId: "default", completed: "false" }]]);

    await user.click(screen.getByRole("checkbox", { name: "Mark all as complete" }));
    await waitFor(() => expect(api.todos(userId).every((t) => !t.completed)).toBe(true));
    await user.click(within(item("b")).getByRole("checkbox"));
    await user.click(await screen.findByRole("button", { name: "Clear completed" }));
    expect(titles()).toEqual(["a", "c"]);
    expect(screen.queryByRole("button", { name: "Clear completed" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Close" }));
    await waitFor(() => expect(api.todos(userId).map((t) => t.title)).toEqual(["a", "c"]));
    const deletes = api.writes().filter((r) => r.method === "DELETE");
    expect(deletes.map((r) => `${r.path}${r.search}`)).toEqual(["/todos?completed=true&listId=default"]);
  });

  it("filters with #/active and #/completed, and the filter survives a reload", async () => {
    const { user, rerenderApp } = await signedIn(["a", { title: "b", completed: true }, "c"]);
    await waitFor(() => expect(items()).toHaveLength(3));
    await user.click(screen.getByRole("link", { name: "Active" }));
    await waitFor(() => expect(titles()).toEqual(["a", "c"]));
    expect(window.location.hash).toBe("#/active");
    expect(screen.getByRole("link", { name: "Active" }).className).toBe("selected");
    expect(screen.getByRole("link", { name: "Active" }).getAttribute("aria-current")).toBe("page");

    await user.click(screen.getByRole("link", { name: "Completed" }));
    await waitFor(() => expect(titles()).toEqual(["b"]));

    rerenderApp();
    await waitFor(() => expect(titles()).toEqual(["b"]));
    expect(screen.getByRole("link", { name: "Completed" }).className).toBe("selected");
    await user.click(screen.getByRole("link", { name: "All" }));
    await waitFor(() => expect(titles()).toEqual(["a", "b", "c"]));
  });
});

describe("task list: failures", () => {
  it("keeps a toggle the service could not take yet (503) and sends it again until it is saved", async () => {
    const { user, api, userId } = await signedIn(["Buy milk"]);
    await waitFor(() => expect(items()).toHaveLength(1));
    let busy = 0;
    server.use(
      http.patch(`${API_URL}/todos/:id`, () => {
        busy++;
        return HttpResponse.json({ error: { code: "SERVICE_UNAVAILABLE", message: "Try later" } }, { status: 503, headers: { "Retry-After": "1" } });
      }, { once: true }),
    );
    await user.click(screen.getByRole("checkbox", { name: "Buy milk" }));
    expect(item("Buy milk").className).toContain("completed");
    expect(count()).toBe("0 items left");
    await waitFor(() => expect(api.todos(userId)[0]!.completed).toBe(true), { timeout: 10_000 });
    // Refused once, then sent again and saved.
    expect(busy).toBe(1);
    expect(api.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
    expect(item("Buy milk").className).toContain("completed");
    await waitFor(() => expect(screen.queryByText(/^Syncing/)).toBeNull());
  });

  it("sets aside a create the server refused, with a notice, and keeps a delete sent offline until it is saved", async () => {
    const { user, api, userId } = await signedIn(["Keep me"]);
    await waitFor(() => expect(items()).toHaveLength(1));
    server.use(
      http.post(`${API_URL}/todos`, () =>
        HttpResponse.json({ error: { code: "VALIDATION_FAILED", message: "title must not contain control characters" } }, { status: 400 }), { once: true },
      ),
      http.delete(`${API_URL}/todos/:id`, () => HttpResponse.error(), { once: true }),
    );
    await user.type(newTodo(), "Doomed{Enter}");
    expect(titles()).toEqual(["Keep me", "Doomed"]);
    // Refused: it is set aside, no longer shown, and the notice says so until dismissed.
    const notice = await screen.findByText(/A change the server refused \(POST \/todos\) was not saved\./);
    await waitFor(() => expect(titles()).toEqual(["Keep me"]));
    expect(api.todos(userId).map((t) => t.title)).toEqual(["Keep me"]);
    await user.click(within(notice).getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByText(/A change the server refused/)).toBeNull());

    // No answer: the delete stays queued (the task stays deleted here) and is sent again.
    await user.click(screen.getByRole("button", { name: "Delete Keep me" }));
    expect(titles()).toEqual([]);
    await user.click(screen.getByRole("button", { name: "Close" }));
    expect(await screen.findByText(/^Offline · 1 change not synced yet/)).toBeTruthy();
    window.dispatchEvent(new Event("online"));
    await waitFor(() => expect(api.todos(userId)).toEqual([]), { timeout: 10_000 });
    expect(titles()).toEqual([]);
  });

  it("retries a create whose answer was lost with the same Idempotency-Key: one task, not two", async () => {
    const { user, api, userId } = await signedIn();
    await screen.findByText("No tasks yet. Add your first one above.");
    // The first attempt reaches the service, which stores the task; then the connection drops.
    api.loseAnswers("POST", "/todos");
    await user.type(newTodo(), "Only once{Enter}");
    const creates = () => api.requests.filter((r) => r.method === "POST");
    await waitFor(() => expect(creates()).toHaveLength(2));
    // Settled: nothing is waiting to be sent.
    await waitFor(() => expect(screen.queryByText(/^Syncing/)).toBeNull());
    expect(titles()).toEqual(["Only once"]);
    const [first, retry] = creates().map((r) => r.headers.get("idempotency-key"));
    expect(first).toEqual(expect.any(String));
    expect(retry).toBe(first);
    expect(api.todos(userId).map((t) => t.title)).toEqual(["Only once"]);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("keeps an edit that met another device's change of the same task (last writer wins, with a notice)", async () => {
    const { user, api, userId } = await signedIn(["Buy milk"]);
    await waitFor(() => expect(items()).toHaveLength(1));
    // Someone else renamed it meanwhile.
    Object.assign(api.todos(userId)[0]!, { title: "Buy bread", version: 2 });
    await user.dblClick(screen.getByText("Buy milk"));
    await user.clear(screen.getByRole("textbox", { name: "Edit Buy milk" }));
    await user.type(screen.getByRole("textbox", { name: "Edit Buy milk" }), "Buy cheese{Enter}");
    expect((await screen.findByText(/was also changed on another device; your title was kept on top of it\./)).textContent).toContain("Buy");
    await waitFor(() => expect(api.todos(userId)[0]!.title).toBe("Buy cheese"));
    expect(api.requests.filter((r) => r.method === "PATCH").map((r) => r.headers.get("if-match"))).toEqual(["1", "2"]);
    await waitFor(() => expect(titles()).toEqual(["Buy cheese"]));
  });

  it("sends the person back to sign in when the session can no longer be refreshed (signed out elsewhere)", async () => {
    const { user } = await signedIn(["Buy milk"]);
    await waitFor(() => expect(items()).toHaveLength(1));
    // The access token is refused and the refresh token no longer works (revoked elsewhere).
    server.use(
      http.patch(`${API_URL}/todos/:id`, () => HttpResponse.json({ message: "Unauthorized" }, { status: 401 })),
      http.post(`${COGNITO_ENDPOINT}/*`, () => HttpResponse.json({ __type: "NotAuthorizedException", message: "Refresh Token has been revoked" }, { status: 400 })),
    );
    await user.click(screen.getByRole("checkbox", { name: "Buy milk" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("You were signed out. Please sign in again.");
  });
});

/** What another tab of this browser does to the stored session, as this tab hears of it. */
function storageChangedElsewhere(keys = Object.keys(localStorage).filter((key) => key.startsWith("CognitoIdentityServiceProvider."))) {
  for (const key of keys) window.dispatchEvent(new StorageEvent("storage", { key, storageArea: localStorage }));
}

describe("task list: another tab of this browser", () => {
  it("returns to sign in as soon as another tab signs out, without waiting for a request", async () => {
    const { api } = await signedIn(["Buy milk"]);
    await waitFor(() => expect(items()).toHaveLength(1));
    const sent = api.requests.length;
    // The other tab's sign-out removed the stored session (shared by every tab of the browser).
    const keys = Object.keys(localStorage).filter((key) => key.startsWith("CognitoIdentityServiceProvider."));
    for (const key of keys) localStorage.removeItem(key);
    storageChangedElsewhere(keys);
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.getByRole("status").textContent).toBe("You were signed out. Please sign in again.");
    expect(screen.queryByText("Buy milk")).toBeNull();
    expect(api.requests.length).toBe(sent);
  });

  it("shows the other person's tasks when someone else signed in in another tab, and leaves their session alone", async () => {
    const { cognito, api } = await signedIn(["Ana's task"]);
    await waitFor(() => expect(titles()).toEqual(["Ana's task"]));
    const benId = cognito.addUser("ben@example.com", TEST_PASSWORD);
    api.seed(benId, ["Ben's task"]);
    // The other tab signs Ana out and Ben in: the stored session is now Ben's.
    await act(async () => {
      await signOut();
      await signInWithEmail("ben@example.com", TEST_PASSWORD);
    });
    storageChangedElsewhere();
    await waitFor(() => expect(titles()).toEqual(["Ben's task"]));
    expect(screen.getByRole("button", { name: "Account: ben@example.com" })).toBeTruthy();
    expect(screen.queryByText("Ana's task")).toBeNull();
    expect(Object.keys(localStorage).some((key) => key.endsWith(".accessToken"))).toBe(true);
  });

  it("opens the app when another tab signs in while this one shows the sign-in screen", async () => {
    const app = renderApp();
    app.api.seed(app.cognito.addUser("ana@example.com", TEST_PASSWORD), ["Buy milk"]);
    await screen.findByRole("heading", { name: "Sign in" });
    await act(async () => void (await signInWithEmail("ana@example.com", TEST_PASSWORD)));
    storageChangedElsewhere();
    await waitFor(() => expect(titles()).toEqual(["Buy milk"]));
  });
});

describe("task list: per user", () => {
  it("shows a second user none of the first user's tasks, even from the cache", async () => {
    const { user, cognito, api } = await signedIn(["Ana's secret"]);
    await waitFor(() => expect(titles()).toEqual(["Ana's secret"]));
    const benId = cognito.addUser("ben@example.com", TEST_PASSWORD);
    api.seed(benId, ["Ben's task"]);

    await signOutThroughMenu(user);
    await signInThroughForm(user, "ben@example.com");
    await waitFor(() => expect(titles()).toEqual(["Ben's task"]));
    expect(screen.queryByText("Ana's secret")).toBeNull();
    await act(async () => {});
  });
});
