/**
 * The whole product in headless Chromium against the real offline stack (DynamoDB Local,
 * cognito-local, the local API gateway and Vite, on free ports with throwaway data): sign up →
 * confirm with the code the stack exposes → sign in → add, complete, filter, edit, delete, clear →
 * reload → sign out → a second user sees none of the first user's tasks.
 *
 * Every check after an action polls (locator auto-waiting or expect.poll): the app renders its
 * optimistic and saved states on its own schedule, and a busy machine must not turn that into a
 * failure. No fixed sleeps.
 */
import { mkdirSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { launchChromium } from "./support/chromium";
import { startStack, type E2EStack } from "./support/local-stack";

const here = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = resolve(here, "../test-artifacts");
const README_SCREENSHOT = resolve(here, "../../../docs/screenshot.png");
const PASSWORD = "Tasks-e2e-pass1";
/** Desktop size of the screenshots (the README shows tasks.png). */
const DESKTOP = { width: 900, height: 700 };

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
const itemsLeft = (page: Page) => page.locator(".todo-count").textContent();

async function signUpAndConfirm(page: Page, email: string) {
  await page.getByRole("button", { name: "No account yet? Sign up" }).click();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  const since = Date.now();
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  await page.getByRole("heading", { name: "Confirm your email" }).waitFor();
  // The code cognito-local "e-mailed", as the stack saw it (no fixed code: the real flow).
  await page.getByLabel("Confirmation code", { exact: true }).fill(await stack.confirmationCode(email, since));
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.getByText("Your email is confirmed. Sign in to continue.").waitFor();
}

async function signIn(page: Page, email: string) {
  expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** Runs an action and waits until the API has answered the write it causes, successfully. */
async function andSaved(page: Page, method: string, pathPart: string, action: () => Promise<unknown>) {
  const saved = page.waitForResponse(
    (response) =>
      response.request().method() === method && new URL(response.url()).pathname.startsWith("/todos") &&
      response.url().includes(pathPart),
  );
  await action();
  const response = await saved;
  expect(response.ok(), `${method} ${response.url()} → ${response.status()}`).toBe(true);
}

describe("Tasks in Chromium against the offline stack", () => {
  it("signs up, manages tasks that persist, and keeps users apart", async () => {
    onTestFailed(() => console.error(`The offline stack logged:\n${stack.log.join("\n")}`));
    mkdirSync(ARTIFACTS, { recursive: true });
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));

    const first = "ana@example.com"; // the stack is new for this run: no one has signed up yet
    await page.goto(stack.webUrl);
    await signUpAndConfirm(page, first);
    await signIn(page, first);
    await page.getByText("No tasks yet. Add your first one above.").waitFor();

    const newTodo = page.getByRole("textbox", { name: "New task" });
    for (const title of ["Buy milk", "Book dentist", "Water the plants"]) {
      await andSaved(page, "POST", "/todos", async () => {
        await newTodo.fill(title);
        await newTodo.press("Enter");
      });
    }
    await expect.poll(() => titles(page)).toEqual(["Buy milk", "Book dentist", "Water the plants"]);
    await expect.poll(() => itemsLeft(page)).toBe("3 items left");

    // check() clicks and then requires the box to be checked right away: what a person sees.
    await andSaved(page, "PATCH", "/todos/", () => page.getByRole("checkbox", { name: "Book dentist" }).check());
    await expect.poll(() => completedTitles(page)).toEqual(["Book dentist"]);
    await expect.poll(() => itemsLeft(page)).toBe("2 items left");

    await page.getByRole("link", { name: "Active" }).click();
    await expect.poll(() => titles(page)).toEqual(["Buy milk", "Water the plants"]);
    await page.getByRole("link", { name: "Completed" }).click();
    await expect.poll(() => titles(page)).toEqual(["Book dentist"]);
    expect(await page.getByRole("checkbox", { name: "Book dentist" }).isChecked()).toBe(true);
    await page.getByRole("link", { name: "All" }).click();
    await expect.poll(() => titles(page)).toEqual(["Buy milk", "Book dentist", "Water the plants"]);

    await page.locator(".todo-list li label", { hasText: "Buy milk" }).dblclick();
    const edit = page.locator(".todo-list li.editing .edit");
    await andSaved(page, "PATCH", "/todos/", async () => {
      await edit.fill("Buy oat milk");
      await edit.press("Enter");
    });
    await expect.poll(() => titles(page)).toEqual(["Buy oat milk", "Book dentist", "Water the plants"]);
    await expect.poll(() => page.locator(".todo-list li.editing").count()).toBe(0);

    // The task view for the README: a few tasks, one completed, at a desktop width.
    await newTodo.focus();
    await page.screenshot({ path: resolve(ARTIFACTS, "tasks.png") });
    // The README's picture changes only when asked: a test run leaves the work tree as it was.
    if (process.env.UPDATE_README_SCREENSHOT) {
      mkdirSync(dirname(README_SCREENSHOT), { recursive: true });
      await copyFile(resolve(ARTIFACTS, "tasks.png"), README_SCREENSHOT);
    }
    // Phone width: everything fits without sideways scrolling.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: resolve(ARTIFACTS, "tasks-phone.png") });
    await page.setViewportSize(DESKTOP);

    await andSaved(page, "DELETE", "/todos/", () => page.getByRole("button", { name: "Delete Water the plants" }).click());
    await expect.poll(() => titles(page)).toEqual(["Buy oat milk", "Book dentist"]);

    await andSaved(page, "DELETE", "/todos?completed=true", () =>
      page.getByRole("button", { name: "Clear completed" }).click(),
    );
    await expect.poll(() => titles(page)).toEqual(["Buy oat milk"]);
    await expect.poll(() => page.getByRole("button", { name: "Clear completed" }).count()).toBe(0);

    // Everything above was saved: a reload shows it from the API, still signed in.
    await page.reload();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    await expect.poll(() => titles(page)).toEqual(["Buy oat milk"]);
    await expect.poll(() => itemsLeft(page)).toBe("1 item left");
    expect(await page.getByRole("checkbox", { name: "Buy oat milk" }).isChecked()).toBe(false);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    const second = "ben@example.com";
    await signUpAndConfirm(page, second);
    await signIn(page, second);
    await page.getByText("No tasks yet. Add your first one above.").waitFor();
    expect(await page.getByText("Buy oat milk").count()).toBe(0);
    expect(await page.locator(".todo-list li").count()).toBe(0);

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
