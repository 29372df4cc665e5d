import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderSignedIn, taskRow } from "../test-support/render-app";
import { addDays, isoDay } from "./dates";

describe("Planned", () => {
  it("shows open tasks with a due date across lists: overdue, today, tomorrow, later", async () => {
    const today = isoDay(new Date());
    const { user, api, userId } = await renderSignedIn((api, userId) => {
      const work = api.seedList(userId, "Work");
      api.seed(userId, [
        { title: "Pay rent", due: addDays(today, -2) },
        { title: "Standup", due: today, listId: work.id },
        { title: "Dentist", due: addDays(today, 1) },
        { title: "Holiday", due: addDays(today, 30), listId: work.id },
        { title: "Someday" },
        { title: "Already done", due: today, completed: true },
      ]);
    });
    await user.click(await screen.findByRole("link", { name: /^Planned/ }));
    expect(window.location.hash).toBe("#/planned");
    expect(await screen.findByRole("heading", { level: 1, name: "Planned" })).toBeTruthy();
    const group = (name: RegExp) => screen.getByRole("region", { name }).querySelectorAll("li .title label");
    await waitFor(() => expect([...group(/^Overdue/)].map((l) => l.textContent)).toEqual(["Pay rent"]));
    expect([...group(/^Today/)].map((l) => l.textContent)).toEqual(["Standup"]);
    expect([...group(/^Tomorrow/)].map((l) => l.textContent)).toEqual(["Dentist"]);
    expect([...group(/^Later/)].map((l) => l.textContent)).toEqual(["Holiday"]);
    // Each task says which list it is in; an overdue one says so.
    expect(within(taskRow("Standup")).getByText("Work")).toBeTruthy();
    expect(within(taskRow("Pay rent")).getByText("Overdue:")).toBeTruthy();

    // Completing one from here saves it, and it leaves Planned.
    await user.click(within(taskRow("Dentist")).getByRole("checkbox"));
    await waitFor(() => expect(api.todos(userId).find((t) => t.title === "Dentist")!.completed).toBe(true));
    await waitFor(() => expect(screen.queryByRole("region", { name: /^Tomorrow/ })).toBeNull());
  });

  it("says how to plan when nothing has a date", async () => {
    const { user } = await renderSignedIn((api, userId) => void api.seed(userId, ["No date"]));
    await user.click(await screen.findByRole("link", { name: /^Planned/ }));
    expect(await screen.findByText(/Nothing planned/)).toBeTruthy();
  });
});
