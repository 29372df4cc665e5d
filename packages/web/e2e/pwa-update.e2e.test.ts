/**
 * The update prompt in headless Chromium: the built app is served (as `pnpm start` serves it), a
 * visit installs its service worker; then a new version is deployed on the same origin. The new
 * service worker installs and waits — the page keeps running the old version — and the app says
 * "A new version is ready"; Reload switches to it.
 *
 * Only the SPA is needed (no API: nobody signs in), so this serves two builds of it directly.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@tasks/local/ports";
import { startViteDevServer, type ViteDevServer } from "@tasks/local/vite-dev-server";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH } from "./support/chromium";

const webDir = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const profile = mkdtempSync(join(tmpdir(), "tasks-pwa-update-"));
let context: BrowserContext | undefined;
let web: ViteDevServer | undefined;

afterAll(async () => {
  await context?.close();
  await web?.stop();
  rmSync(profile, { recursive: true, force: true });
});

/** The SPA built with this configuration; `release` only changes what is built (a new version). */
const serve = (port: number, release: string) =>
  startViteDevServer({
    webDir,
    port,
    mode: "build",
    env: {
      VITE_USER_POOL_ID: "local_pwaupdate",
      VITE_USER_POOL_CLIENT_ID: "pwaupdate",
      VITE_API_URL: "http://127.0.0.1:9",
      VITE_REGION: release,
      VITE_COGNITO_ENDPOINT: "http://127.0.0.1:9",
    },
  });

const entryScript = () => document.querySelector<HTMLScriptElement>('script[type="module"][src*="/assets/index-"]')?.src ?? "";

describe("the update prompt", () => {
  it("offers a new version when one is deployed, and switches to it on Reload", async () => {
    const port = await freePort();
    web = await serve(port, "us-east-1");
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"] });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // A later visit: the page is now run by the installed version (served from its cache).
    await page.reload();
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    const firstVersion = await page.evaluate(entryScript);
    expect(firstVersion).not.toBe("");
    expect(await page.getByText("A new version is ready.").count()).toBe(0);

    // A deploy: the same origin now serves another build.
    await web.stop();
    web = await serve(port, "eu-west-1");
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    await page.getByText("A new version is ready.").waitFor({ timeout: 30_000 });
    // It waits for the person: the page still runs the old version, the new worker is waiting.
    expect(await page.evaluate(entryScript)).toBe(firstVersion);
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(true);

    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Reload" }).click()]);
    await expect.poll(() => page.evaluate(entryScript), { timeout: 30_000 }).not.toBe(firstVersion);
    expect(await page.getByText("A new version is ready.").count()).toBe(0);
  });
});
