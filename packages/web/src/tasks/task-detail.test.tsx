import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderSignedIn, shownTitles, taskRow } from "../test-support/render-app";
import { addDays, isoDay } from "../planned/dates";

const pane = () => screen.getByRole("complementary", { name: "Task details" });

describe("task details", () => {
  it("edits notes, sets and clears the due date, and moves the task to another list", async () => {
    const { user, api, userId } = await renderSignedIn((api, userId) => {
      api.seedList(userId, "Work");
      api.seed(userId, ["Write report"]);
    });
    // The rows are final once reordering's module has loaded (it replaces the first rows).
    await screen.findByRole("button", { name: "Reorder Write report" });
    await user.click(screen.getByRole("button", { name: "Details of Write report" }));
    const details = await screen.findByRole("complementary", { name: "Task details" });

    await user.type(within(details).getByRole("textbox", { name: "Notes" }), "Section 2 first{Enter}then the intro");
    await user.tab(); // leaving the field saves it
    await waitFor(() => expect(api.todos(userId)[0]!.notes).toBe("Section 2 first\nthen the intro"));
    expect(within(taskRow("Write report")).getByText("Has notes")).toBeTruthy();

    const tomorrow = addDays(isoDay(new Date()), 1);
    fireEvent.change(within(details).getByLabelText("Due date"), { target: { value: tomorrow } });
    await waitFor(() => expect(api.todos(userId)[0]!.due).toBe(tomorrow));
    expect(within(taskRow("Write report")).getByText("Tomorrow")).toBeTruthy();
    await user.click(within(details).getByRole("button", { name: "Remove date" }));
    await waitFor(() => expect(api.todos(userId)[0]!.due).toBeNull());

    const work = api.lists(userId).find((list) => list.name === "Work")!;
    await user.selectOptions(within(pane()).getByRole("combobox", { name: "List" }), "Work");
    await waitFor(() => expect(api.todos(userId)[0]!.listId).toBe(work.id));
    // Gone from this list; the details stay open on the task, which now says "Work".
    expect(shownTitles()).toEqual([]);
    expect((within(pane()).getByRole("combobox", { name: "List" }) as HTMLSelectElement).value).toBe(work.id);
    const patches = api.writes().map((r) => JSON.stringify(r.body));
    expect(patches).toEqual([
      JSON.stringify({ notes: "Section 2 first\nthen the intro" }),
      JSON.stringify({ due: tomorrow }),
      JSON.stringify({ due: null }),
      JSON.stringify({ listId: work.id }),
    ]);
  });

  it("deletes from the details pane, with Undo, and closes it", async () => {
    const { user } = await renderSignedIn((api, userId) => void api.seed(userId, ["One", "Two"]));
    await screen.findByRole("button", { name: "Reorder One" });
    await user.click(screen.getByRole("button", { name: "Details of One" }));
    await user.click(within(await screen.findByRole("complementary", { name: "Task details" })).getByRole("button", { name: "Delete task" }));
    expect(screen.queryByRole("complementary", { name: "Task details" })).toBeNull();
    expect(shownTitles()).toEqual(["Two"]);
    expect(document.activeElement).not.toBe(document.body);
    await user.click(screen.getByRole("button", { name: "Undo" }));
    expect(shownTitles()).toEqual(["One", "Two"]);
  });
});
