/**
 * The views on the sync engine, in headless Chromium against the offline stack (the built SPA
 * with its service worker, the API, the WebSocket push): two browsers of one person see each
 * other's changes without a reload; changes made offline survive a reload and reach the API once.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { launchChromium } from "./support/chromium";
import { startStack, type E2EStack } from "./support/local-stack";

const PASSWORD = "Tasks-e2e-pass1";
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

async function signUpAndConfirm(page: Page, email: string) {
  await page.getByRole("button", { name: "No account yet? Sign up" }).click();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  const since = Date.now();
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  await page.getByRole("heading", { name: "Confirm your email" }).waitFor();
  await page.getByLabel("Confirmation code", { exact: true }).fill(await stack.confirmationCode(email, since));
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.getByRole("button", { name: `Account: ${email}` }).waitFor();
}

async function addTask(page: Page, title: string) {
  await page.getByRole("textbox", { name: "New task" }).fill(title);
  await page.getByRole("textbox", { name: "New task" }).press("Enter");
}

/** The tasks as the API holds them, read with the page's own access token. */
function apiTodos(page: Page): Promise<Array<{ title: string; completed: boolean }>> {
  return page.evaluate(async (apiUrl) => {
    const key = Object.keys(localStorage).find((k) => k.endsWith(".accessToken"))!;
    const response = await fetch(`${apiUrl}/todos?limit=100`, { headers: { Authorization: `Bearer ${localStorage.getItem(key)}` } });
    const body = (await response.json()) as { items: Array<{ title: string; completed: boolean }> };
    return body.items.map(({ title, completed }) => ({ title, completed }));
  }, stack.stack.apiUrl);
}

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
    await signUpAndConfirm(a, "two-browsers@example.com");
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
    await signUpAndConfirm(tabA, "two-tabs@example.com");
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
});
