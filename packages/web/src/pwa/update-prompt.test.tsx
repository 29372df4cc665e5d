/** The update prompt, driven through its store as the service worker registration drives it. */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { expect, it } from "vitest";
import { UpdatePrompt } from "./UpdatePrompt";
import { createAppUpdateStore } from "./update-store";

it("shows nothing until a new version waits, then reloads into it or waits for later", async () => {
  const store = createAppUpdateStore();
  let activated = 0;
  store.setActivate(async () => void activated++);
  render(<UpdatePrompt store={store} />);
  expect(screen.queryByRole("status")).toBeNull();

  act(() => store.offlineReady());
  expect(screen.queryByRole("status")).toBeNull();

  act(() => store.needRefresh());
  expect(screen.getByRole("status").textContent).toContain("A new version is ready.");
  await userEvent.click(screen.getByRole("button", { name: "Reload" }));
  expect(activated).toBe(1);

  await userEvent.click(screen.getByRole("button", { name: "Later" }));
  expect(screen.queryByRole("status")).toBeNull();
  expect(activated).toBe(1);
});
