import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderSignedIn, shownTitles } from "../test-support/render-app";

const sidebar = () => screen.getByRole("navigation", { name: "Lists" });
const listLinks = () => within(screen.getByRole("list", { name: "Your lists" })).getAllByRole("link").map((a) => a.textContent);

describe("lists", () => {
  it("shows the default list first, each list's open tasks, and the list's name as the heading", async () => {
    const { api } = await renderSignedIn((api, userId) => {
      const work = api.seedList(userId, "Work");
      api.seed(userId, ["Buy milk", { title: "Done", completed: true }, { title: "Report", listId: work.id }]);
    });
    await waitFor(() => expect(listLinks()).toEqual(["Tasks1 open", "Work1 open"]));
    expect(screen.getByRole("heading", { level: 1, name: "Tasks" })).toBeTruthy();
    expect(shownTitles()).toEqual(["Buy milk", "Done"]);
    await screen.getByRole("link", { name: /^Work/ }).click();
    expect(await screen.findByRole("heading", { level: 1, name: "Work" })).toBeTruthy();
    await waitFor(() => expect(shownTitles()).toEqual(["Report"]));
    expect(window.location.hash).toMatch(/^#\/lists\/01J/);
    // The lists came with the tasks in the replica's pull.
    expect(api.requests.some((r) => r.path === "/sync")).toBe(true);
  });

  it("creates a list and goes to it, adding tasks there (with listId)", async () => {
    const { user, api, userId } = await renderSignedIn();
    await user.type(within(sidebar()).getByRole("textbox", { name: "New list" }), "Groceries{Enter}");
    expect(await screen.findByRole("heading", { level: 1, name: "Groceries" })).toBeTruthy();
    // Shown at once under a local id; once the server has created it, the route names its id.
    await waitFor(() => expect(api.lists(userId).some((list) => list.name === "Groceries")).toBe(true));
    const created = api.lists(userId).find((list) => list.name === "Groceries")!;
    await waitFor(() => expect(window.location.hash).toBe(`#/lists/${created.id}`));
    expect(screen.getByRole("heading", { level: 1, name: "Groceries" })).toBeTruthy();
    await user.type(screen.getByRole("textbox", { name: "New task" }), "Apples{Enter}");
    await waitFor(() => expect(api.todos(userId).map((t) => [t.title, t.listId])).toEqual([["Apples", created.id]]));
    // Its own filters, under its own route.
    expect(screen.getByRole("link", { name: "Active" }).getAttribute("href")).toBe(`#/lists/${created.id}/active`);
  });

  it("clears the completed tasks of the list shown only, in one request, after the undo window", async () => {
    const { user, api, userId } = await renderSignedIn((api, userId) => {
      const work = api.seedList(userId, "Work");
      api.seed(userId, [{ title: "Home done", completed: true }, { title: "Work done", completed: true, listId: work.id }, { title: "Work open", listId: work.id }]);
    });
    await user.click(await screen.findByRole("link", { name: /^Work/ }));
    await waitFor(() => expect(shownTitles()).toEqual(["Work done", "Work open"]));
    await user.click(screen.getByRole("button", { name: "Clear completed" }));
    expect(shownTitles()).toEqual(["Work open"]);
    expect(screen.getByText("Cleared 1 completed task")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Close" }));
    const work = api.lists(userId).find((list) => list.name === "Work")!;
    await waitFor(() => expect(api.todos(userId).map((t) => t.title).sort()).toEqual(["Home done", "Work open"]));
    expect(api.writes().map((r) => `${r.method} ${r.path}${r.search}`)).toEqual([`DELETE /todos?completed=true&listId=${work.id}`]);
  });

  it("renames a list from its heading", async () => {
    const { user, api, userId } = await renderSignedIn((api, userId) => void api.seedList(userId, "Wrok"));
    await user.click(await screen.findByRole("link", { name: /^Wrok/ }));
    await user.click(await screen.findByRole("button", { name: "Rename list Wrok" }));
    const field = screen.getByRole("textbox", { name: "List name" });
    await user.clear(field);
    await user.type(field, "Work{Enter}");
    expect(await screen.findByRole("heading", { level: 1, name: "Work" })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Rename list Work" }));
    await waitFor(() => expect(api.lists(userId).map((l) => l.name)).toEqual(["Tasks", "Work"]));
  });

  it("deletes a list after confirmation, offers Undo, and only then sends the delete", async () => {
    const { user, api, userId } = await renderSignedIn((api, userId) => {
      const work = api.seedList(userId, "Work");
      api.seed(userId, [{ title: "Report", listId: work.id }, { title: "Slides", listId: work.id }]);
    });
    await user.click(await screen.findByRole("link", { name: /^Work/ }));
    await user.click(await screen.findByRole("button", { name: "Delete list Work" }));
    const dialog = screen.getByRole("dialog", { name: "Delete “Work”?" });
    expect(within(dialog).getByText(/Its 2 tasks are deleted with it/)).toBeTruthy();
    // Cancel is the safe default, and Escape cancels too.
    expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Cancel" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Delete list Work" }));

    await user.click(screen.getByRole("button", { name: "Delete list Work" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete list" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Tasks" })).toBeTruthy();
    expect(listLinks()).toEqual(["Tasks"]);
    expect(screen.getByText("Deleted the list “Work”")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Undo" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Work" })).toBeTruthy();
    await waitFor(() => expect(shownTitles()).toEqual(["Report", "Slides"]));
    expect(api.writes()).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Delete list Work" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete list" }));
    await user.click(screen.getByRole("button", { name: "Close" }));
    await waitFor(() => expect(api.lists(userId).map((l) => l.name)).toEqual(["Tasks"]));
    expect(api.todos(userId)).toEqual([]);
    expect(api.writes().map((r) => `${r.method} ${r.path}`)).toEqual([expect.stringMatching(/^DELETE \/lists\/01J/)]);
  });

  it("offers no delete for the default list", async () => {
    await renderSignedIn();
    expect(await screen.findByRole("button", { name: "Rename list Tasks" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Delete list/ })).toBeNull();
  });

  it("marks all of one list complete in one request, leaving other lists alone", async () => {
    const { user, api, userId } = await renderSignedIn((api, userId) => {
      const work = api.seedList(userId, "Work");
      api.seed(userId, ["Home 1", { title: "Work 1", listId: work.id }, { title: "Work 2", listId: work.id }]);
    });
    await user.click(await screen.findByRole("link", { name: /^Work/ }));
    await waitFor(() => expect(shownTitles()).toEqual(["Work 1", "Work 2"]));
    await user.click(screen.getByRole("checkbox", { name: "Mark all as complete" }));
    await waitFor(() => expect(api.todos(userId).map((t) => t.completed)).toEqual([false, true, true]));
    const work = api.lists(userId)[1]!;
    const query = (search: string) => Object.fromEntries(new URLSearchParams(search));
    expect(api.writes().map((r) => [r.method, r.path, query(r.search)])).toEqual([["PATCH", "/todos", { listId: work.id, completed: "false" }]]);
  });
});
