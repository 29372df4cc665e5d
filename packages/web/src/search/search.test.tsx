import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderSignedIn, shownTitles, taskRow } from "../test-support/render-app";
import { searchTasks } from "./search";

describe("search", () => {
  it("finds tasks in every list as you type, by title or notes, ignoring case and accents", async () => {
    const { user } = await renderSignedIn((api, userId) => {
      const work = api.seedList(userId, "Work");
      api.seed(userId, [
        "Buy milk",
        { title: "Café with Ben", notes: "" },
        { title: "Quarterly report", listId: work.id, notes: "ask about the MILK budget" },
        "Walk the dog",
      ]);
    });
    const field = await screen.findByRole("searchbox", { name: "Search all lists" });
    await user.type(field, "milk");
    expect(window.location.hash).toBe("#/search/milk");
    await waitFor(() => expect(shownTitles()).toEqual(["Buy milk", "Quarterly report"]));
    expect(screen.getByText("2 tasks found")).toBeTruthy();
    expect(within(taskRow("Quarterly report")).getByText("Work")).toBeTruthy();
    await user.clear(field);
    await user.type(field, "cafe");
    await waitFor(() => expect(shownTitles()).toEqual(["Café with Ben"]));
    await user.type(field, "zzz");
    expect(await screen.findByText("No tasks match.")).toBeTruthy();
    // Typing replaces the search in the history instead of adding an entry per letter; Escape
    // goes back to the list.
    await user.keyboard("{Escape}");
    expect(await screen.findByRole("heading", { level: 1, name: "Tasks" })).toBeTruthy();
  });

  it("matches every word, open tasks first", () => {
    const base = { completed: false, order: 0, createdAt: "", updatedAt: "", version: 1, listId: "default", notes: "", due: null, completedAt: null };
    const tasks = [
      { ...base, id: "1", title: "milk and bread", completed: true, order: 1 },
      { ...base, id: "2", title: "bread", order: 2 },
      { ...base, id: "3", title: "Bread, then milk", order: 3 },
    ];
    expect(searchTasks(tasks, "MILK bread").map((t) => t.id)).toEqual(["3", "1"]);
    expect(searchTasks(tasks, "   ")).toEqual([]);
    // Accents either way: typed with them, stored without (and the other way round above).
    expect(searchTasks([{ ...base, id: "4", title: "Update resume" }], "Résumé").map((t) => t.id)).toEqual(["4"]);
  });
});
