/**
 * The whole product in headless Chromium against the offline stack: sign up → confirm with the
 * code the stack exposes → sign in → add, complete, filter, edit, delete, clear → reload → sign
 * out → a second user sees none of the first user's tasks.
 */
import { mkdirSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/chromium";
import { startStack, type E2EStack } from "./support/local-stack";

const here = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = resolve(here, "../test-artifacts");
const README_SCREENSHOT = resolve(here, "../../../docs/screenshot.png");
const PASSWORD = "Tasks-e2e-pass1";

let stack: E2EStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const titles = (page: Page) => page.locator(".todo-list li label").allTextContents();

async function signUpAndConfirm(page: Page, email: string) {
  await page.getByRole("button", { name: "No account yet? Sign up" }).click();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  await page.getByRole("heading", { name: "Confirm your email" }).waitFor();
  await page.getByLabel("Confirmation code", { exact: true }).fill(await stack.confirmationCode(email));
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.getByText("Your email is confirmed. Sign in to continue.").waitFor();
}

async function signIn(page: Page, email: string) {
  expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** Runs an action and waits until the API has answered the write it causes. */
async function andSaved(page: Page, method: string, pathPart: string, action: () => Promise<unknown>) {
  const saved = page.waitForResponse(
    (response) => response.request().method() === method && response.url().includes(pathPart),
  );
  await action();
  const response = await saved;
  expect(response.ok(), `${method} ${response.url()} → ${response.status()}`).toBe(true);
}

describe("Tasks in Chromium against the offline stack", () => {
  it("signs up, manages tasks that persist, and keeps users apart", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 800, height: 760 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("pageerror", (error) => consoleErrors.push(String(error)));

    const first = `ana.${Date.now()}@example.com`;
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
    expect(await titles(page)).toEqual(["Buy milk", "Book dentist", "Water the plants"]);
    expect(await page.locator(".todo-count").textContent()).toBe("3 items left");

    await andSaved(page, "PATCH", "/todos/", () => page.getByRole("checkbox", { name: "Book dentist" }).check());
    await expect.poll(() => page.locator(".todo-list li.completed label").allTextContents()).toEqual(["Book dentist"]);
    expect(await page.locator(".todo-count").textContent()).toBe("2 items left");

    await page.getByRole("link", { name: "Active" }).click();
    await expect.poll(() => titles(page)).toEqual(["Buy milk", "Water the plants"]);
    await page.getByRole("link", { name: "Completed" }).click();
    await expect.poll(() => titles(page)).toEqual(["Book dentist"]);
    await page.getByRole("link", { name: "All" }).click();
    await expect.poll(() => titles(page)).toHaveLength(3);

    await page.locator(".todo-list li label", { hasText: "Buy milk" }).dblclick();
    const edit = page.locator(".todo-list li.editing .edit");
    await andSaved(page, "PATCH", "/todos/", async () => {
      await edit.fill("Buy oat milk");
      await edit.press("Enter");
    });
    expect(await titles(page)).toEqual(["Buy oat milk", "Book dentist", "Water the plants"]);

    await newTodo.focus();
    await page.screenshot({ path: resolve(ARTIFACTS, "tasks.png") });
    mkdirSync(dirname(README_SCREENSHOT), { recursive: true });
    await copyFile(resolve(ARTIFACTS, "tasks.png"), README_SCREENSHOT);
    // Phone width: everything fits without sideways scrolling.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: resolve(ARTIFACTS, "tasks-phone.png") });
    await page.setViewportSize({ width: 800, height: 760 });

    await andSaved(page, "DELETE", "/todos/", () => page.getByRole("button", { name: "Delete Water the plants" }).click());
    expect(await titles(page)).toEqual(["Buy oat milk", "Book dentist"]);

    await andSaved(page, "DELETE", "/todos?completed=true", () =>
      page.getByRole("button", { name: "Clear completed" }).click(),
    );
    expect(await titles(page)).toEqual(["Buy oat milk"]);

    await page.reload();
    await page.getByRole("button", { name: "Sign out" }).waitFor(); // still signed in
    await expect.poll(() => titles(page)).toEqual(["Buy oat milk"]);
    expect(await page.locator(".todo-count").textContent()).toBe("1 item left");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    const second = `ben.${Date.now()}@example.com`;
    await signUpAndConfirm(page, second);
    await signIn(page, second);
    await page.getByText("No tasks yet. Add your first one above.").waitFor();
    expect(await page.getByText("Buy oat milk").count()).toBe(0);

    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
