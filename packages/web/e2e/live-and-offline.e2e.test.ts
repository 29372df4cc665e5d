/**
 * The views on the sync engine, in headless Chromium against the offline stack (the built SPA
 * with its service worker, the API, the WebSocket push): two browsers of one person see each
 * other's changes without a reload; changes made offline survive a reload and reach the API once;
 * two devices editing one task offline end as the conflict rule says (README, "Offline").
 */
import { Todo, TodoPage } from "@tasks/core/contract";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { signInThroughUi, signUpThroughUi } from "./support/auth";
import { expectNoAxeViolations } from "./support/axe";
import { launchChromium } from "./support/chromium";
import { startStack, type E2EStack } from "./support/local-stack";

let stack: E2EStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const titles = (page: Page) => page.locator(".todo-list li label").allTextContents();
const completedTitles = (page: Page) => page.locator(".todo-list li.completed label").allTextContents();

async function addTask(page: Page, title: string) {
  await page.getByRole("textbox", { name: "New task" }).fill(title);
  await page.getByRole("textbox", { name: "New task" }).press("Enter");
}

/**
 * GET from the API with the page's own access token, called from the test, not the page: what the
 * server holds, also while that browser is offline.
 */
async function apiGet(page: Page, path: string): Promise<unknown> {
  const token = await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.endsWith(".accessToken"));
    return key ? localStorage.getItem(key) : null;
  });
  expect(token, "the page's access token").toBeTruthy();
  for (;;) {
    const response = await fetch(`${stack.stack.apiUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    // The test's polling shares the user's fair share with the app's own requests.
    if (response.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get("Retry-After") ?? 1)));
      continue;
    }
    expect(response.status, `GET ${path}`).toBe(200);
    return response.json();
  }
}

/** The tasks as the API holds them. */
async function apiTodos(page: Page): Promise<Array<{ title: string; completed: boolean }>> {
  return TodoPage.parse(await apiGet(page, "/todos?limit=100")).items.map(({ title, completed }) => ({ title, completed }));
}

/** Polls the API gently: every request counts against the user's 100 per 10 s. */
const pollApi = <T,>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 500 });
const poll = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

describe("the views on the sync engine, in Chromium", () => {
  let first: BrowserContext;
  let second: BrowserContext;
  let a: Page;
  let b: Page;

  it("shows a change made in one browser in the other within 2 s, without a reload", async () => {
    onTestFailed(() => console.error(`The offline stack logged:\n${stack.log.join("\n")}`));
    first = await browser.newContext();
    a = await first.newPage();
    await a.goto(stack.webUrl);
    await signUpThroughUi(a, stack, "two-browsers@example.com");
    // The same person in a second browser (its own storage, its own replica and socket).
    second = await browser.newContext({ storageState: await first.storageState() });
    b = await second.newPage();
    await b.goto(stack.webUrl);
    await b.getByRole("button", { name: /^Account: / }).waitFor();
    await expect.poll(() => b.getByText("No tasks yet. Add your first one above.").count(), { timeout: 20_000 }).toBe(1);

    await addTask(a, "Made in the first browser");
    // Saved: the first browser has nothing left to send.
    await expect.poll(async () => (await apiTodos(a)).map((t) => t.title), { timeout: 20_000 }).toEqual(["Made in the first browser"]);
    const saved = Date.now();
    await expect.poll(() => titles(b), { timeout: 2_000, interval: 50 }).toEqual(["Made in the first browser"]);
    expect(Date.now() - saved).toBeLessThan(2_000);
  });

  it("keeps changes made offline across a reload, shows them pending, and sends each exactly once", async () => {
    onTestFailed(() => console.error(`The offline stack logged:\n${stack.log.join("\n")}`));
    // The service worker must hold the app before the network goes.
    await b.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await second.setOffline(true);
    await addTask(b, "Offline one");
    await addTask(b, "Offline two");
    await b.locator(".todo-list li", { hasText: "Offline one" }).getByRole("checkbox").click();
    await b.getByText("Offline · 3 changes not synced yet").waitFor();
    await expectNoAxeViolations(b, "the sync status bar, offline with changes pending");

    await b.reload();
    await b.getByRole("button", { name: /^Account: / }).waitFor();
    await b.getByText("Offline · 3 changes not synced yet").waitFor();
    expect(await titles(b)).toEqual(["Made in the first browser", "Offline one", "Offline two"]);
    expect(await completedTitles(b)).toEqual(["Offline one"]);
    // Each row with a change waiting says so.
    const unsynced = () => b.locator(".todo-list li", { has: b.getByRole("img", { name: "Not synced yet" }) }).locator("label").allTextContents();
    expect(await unsynced()).toEqual(["Offline one", "Offline two"]);
    // Nothing reached the API meanwhile.
    expect((await apiTodos(a)).map((t) => t.title)).toEqual(["Made in the first browser"]);

    await second.setOffline(false);
    await expect
      .poll(() => apiTodos(a), { timeout: 20_000 })
      .toEqual([
        { title: "Made in the first browser", completed: false },
        { title: "Offline one", completed: true },
        { title: "Offline two", completed: false },
      ]);
    await expect.poll(() => b.getByText(/not synced yet|^Syncing/).count(), { timeout: 20_000 }).toBe(0);
    expect(await unsynced()).toEqual([]);
    // And the first browser has them too, pushed, without a reload.
    await expect.poll(() => titles(a), { timeout: 20_000 }).toEqual(["Made in the first browser", "Offline one", "Offline two"]);
    await first.close();
    await second.close();
  });

  it("returns a tab to sign-in within seconds when the person signs out in another tab", async () => {
    onTestFailed(() => console.error(`The offline stack logged:\n${stack.log.join("\n")}`));
    const context = await browser.newContext();
    const tabA = await context.newPage();
    await tabA.goto(stack.webUrl);
    await signUpThroughUi(tabA, stack, "two-tabs@example.com");
    await addTask(tabA, "Seen in both tabs");
    const tabB = await context.newPage();
    await tabB.goto(stack.webUrl);
    await expect.poll(() => titles(tabB), { timeout: 20_000 }).toEqual(["Seen in both tabs"]);

    await tabA.getByRole("button", { name: "Account: two-tabs@example.com" }).click();
    await tabA.getByRole("button", { name: "Sign out" }).click();
    const signedOut = Date.now();
    await tabB.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 5_000 });
    expect(Date.now() - signedOut).toBeLessThan(5_000);
    expect(await tabB.getByText("You were signed out. Please sign in again.").count()).toBe(1);
    expect(await tabB.getByText("Seen in both tabs").count()).toBe(0);
    // Nothing of the person's is left in this browser (IndexedDB deletes once both tabs closed it).
    await expect
      .poll(() => tabB.evaluate(async () => (await indexedDB.databases()).map((db) => db.name).filter((name) => name?.startsWith("tasks"))), { timeout: 10_000 })
      .toEqual([]);
    await context.close();
  });

  it("two devices edit one task offline: field-wise last writer wins, and the device that overwrote is told", async () => {
    onTestFailed(() => console.error(`The offline stack logged:\n${stack.log.join("\n")}`));
    const email = "two-devices@example.com";
    // Two devices of one person: each signed in through the form, each its own replica and queue.
    const laptop = await browser.newContext();
    const a = await laptop.newPage();
    const pageErrors: string[] = [];
    onTestFailed(() => console.error("page errors:", pageErrors));
    await a.goto(stack.webUrl);
    await signUpThroughUi(a, stack, email);
    await addTask(a, "Plan the trip");
    await pollApi(async () => (await apiTodos(a)).map((t) => t.title)).toEqual(["Plan the trip"]);
    const { id } = TodoPage.parse(await apiGet(a, "/todos?limit=100")).items[0]!;
    const apiTodo = () => apiGet(a, `/todos/${id}`).then((body) => Todo.parse(body));

    const phone = await browser.newContext();
    const b = await phone.newPage();
    for (const page of [a, b]) page.on("pageerror", (error) => pageErrors.push(String(error)));
    await b.goto(stack.webUrl);
    await signInThroughUi(b, email);
    await poll(() => titles(b)).toEqual(["Plan the trip"]);

    // Devices that have the app: its service worker installed and in control (the details pane is
    // a chunk of its own, which only a controlled page finds offline), then no network.
    for (const device of [a, b]) {
      await device.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await device.reload();
      await poll(() => device.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
      await poll(() => titles(device)).toEqual(["Plan the trip"]);
    }
    await laptop.setOffline(true);
    await phone.setOffline(true);
    const due = await a.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 7);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    });

    // The laptop renames the task and gives it a due date; the phone renames it otherwise and adds notes.
    await a.getByRole("button", { name: "Details of Plan the trip" }).click();
    const detailsA = a.getByRole("complementary", { name: "Task details" });
    await detailsA.getByRole("textbox", { name: "Title" }).fill("Plan the trip to Lisbon");
    await detailsA.getByRole("textbox", { name: "Title" }).press("Enter");
    await detailsA.getByLabel("Due date").fill(due);
    await a.getByText("Offline · 2 changes not synced yet").waitFor();

    await b.getByRole("button", { name: "Details of Plan the trip" }).click();
    const detailsB = b.getByRole("complementary", { name: "Task details" });
    await detailsB.getByRole("textbox", { name: "Title" }).fill("Plan the trip to Porto");
    await detailsB.getByRole("textbox", { name: "Title" }).press("Enter");
    await detailsB.getByRole("textbox", { name: "Notes" }).fill("Book the night train");
    await detailsB.getByRole("textbox", { name: "Title" }).focus(); // notes are saved when left
    await b.getByText("Offline · 2 changes not synced yet").waitFor();

    // The laptop comes back first and is saved before the phone reconnects: the phone writes last.
    await laptop.setOffline(false);
    await pollApi(apiTodo).toMatchObject({ title: "Plan the trip to Lisbon", due, notes: "" });
    await poll(() => a.getByText(/not synced yet|^Syncing/).count()).toBe(0);
    await phone.setOffline(false);
    await poll(() => b.getByText(/not synced yet|^Syncing/).count()).toBe(0);

    // Field-wise: the title both changed is the last writer's, the phone's notes and the laptop's
    // due date (each changed on one side only) both stay. Each of the four edits applied once.
    const expected = { title: "Plan the trip to Porto", notes: "Book the night train", due, completed: false, version: 5 };
    await pollApi(apiTodo).toMatchObject(expected);
    const final = await apiTodo();

    // The phone, whose title overwrote the laptop's, is told so — of the title only.
    const notice = /was also changed on another device/;
    await b.getByText("“Plan the trip to Porto” was also changed on another device; your title was kept on top of it.").waitFor();
    expect(await b.getByText(notice).count()).toBe(1);
    await expectNoAxeViolations(b, "the sync status bar with a conflict notice");

    // Both devices show the server's task: in the list, and in the details pane opened afresh.
    for (const [device, details] of [[a, detailsA], [b, detailsB]] as const) {
      await details.getByRole("button", { name: "Close details" }).click();
      await poll(() => titles(device)).toEqual([final.title]);
      await device.getByRole("button", { name: `Details of ${final.title}` }).click();
      expect(await details.getByRole("textbox", { name: "Title" }).inputValue()).toBe(final.title);
      expect(await details.getByRole("textbox", { name: "Notes" }).inputValue()).toBe(final.notes);
      expect(await details.getByLabel("Due date").inputValue()).toBe(final.due);
    }
    // The laptop wrote first, on the version it saw: nothing of its own was overwritten to tell it.
    expect(await a.getByText(notice).count()).toBe(0);

    await b.getByRole("button", { name: "Dismiss" }).click();
    await poll(() => b.getByText(notice).count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await laptop.close();
    await phone.close();
  });
});
