import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { server } from "../test-support/msw-server";
import { renderSignedIn } from "../test-support/render-app";
import { API_URL } from "../test-support/tasks-api-service";

const openMenu = async (user: Awaited<ReturnType<typeof renderSignedIn>>["user"]) =>
  user.click(await screen.findByRole("button", { name: "Account: ana@example.com" }));

afterEach(() => vi.restoreAllMocks());

describe("account menu", () => {
  it("exports every list and task as a JSON file download", async () => {
    const saved: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => (saved.push(blob as Blob), "blob:export"));
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const { user, api } = await renderSignedIn((api, userId) => {
      api.seedList(userId, "Work");
      api.seed(userId, ["Buy milk"]);
    });
    await openMenu(user);
    await user.click(screen.getByRole("button", { name: "Export my data" }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(clicked[0]!.download).toMatch(/^tasks-export-\d{4}-\d{2}-\d{2}\.json$/);
    expect(api.requests.filter((r) => r.path === "/export").map((r) => r.method)).toEqual(["GET"]);
    const exported = JSON.parse(await saved[0]!.text()) as { lists: Array<{ name: string }>; todos: Array<{ title: string }> };
    expect(exported.lists.map((l) => l.name)).toEqual(["Tasks", "Work"]);
    expect(exported.todos.map((t) => t.title)).toEqual(["Buy milk"]);
    const notice = await screen.findByText(/Your data was saved as tasks-export-/);
    // Good news, said politely: not an alert.
    expect(notice.closest("[role]")?.getAttribute("role")).toBe("status");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says so when the export fails", async () => {
    const { user } = await renderSignedIn();
    server.use(http.get(`${API_URL}/export`, () => HttpResponse.json({ error: { code: "SERVICE_UNAVAILABLE", message: "busy" } }, { status: 503 })));
    await openMenu(user);
    await user.click(screen.getByRole("button", { name: "Export my data" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/could not be exported/);
  });

  it("deletes the account only after the typed confirmation, then signs out to the sign-in screen", async () => {
    const { user, api, userId } = await renderSignedIn((api, userId) => void api.seed(userId, ["Secret"]));
    await openMenu(user);
    await user.click(screen.getByRole("button", { name: "Delete account…" }));
    const dialog = screen.getByRole("dialog", { name: "Delete your account?" });
    const confirm = within(dialog).getByRole("button", { name: "Delete account" });
    expect(confirm.hasAttribute("disabled")).toBe(true);
    await user.type(within(dialog).getByRole("textbox", { name: /Type delete to confirm/ }), "delet");
    expect(confirm.hasAttribute("disabled")).toBe(true);
    expect(api.requests.some((r) => r.path === "/account")).toBe(false);
    await user.type(within(dialog).getByRole("textbox", { name: /Type delete to confirm/ }), "e{Enter}");

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.getByText("Your account and all its data have been deleted.")).toBeTruthy();
    expect(api.requests.filter((r) => r.path === "/account").map((r) => r.method)).toEqual(["DELETE"]);
    expect(api.todos(userId)).toEqual([]);
  });

  it("keeps the account and says why when the deletion fails", async () => {
    const { user } = await renderSignedIn();
    server.use(http.delete(`${API_URL}/account`, () => HttpResponse.error()));
    await openMenu(user);
    await user.click(screen.getByRole("button", { name: "Delete account…" }));
    await user.type(screen.getByRole("textbox", { name: /Type delete to confirm/ }), "delete{Enter}");
    expect((await screen.findByRole("alert")).textContent).toMatch(/^The account was not deleted\. Cannot reach the server/);
    expect(screen.getByRole("button", { name: /^Account:/ })).toBeTruthy();
  });
});
