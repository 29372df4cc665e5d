/**
 * The app as a PWA in headless Chromium against the offline stack, which serves the built app with
 * its service worker (packages/local/src/vite-dev-server.ts): after one visit the app opens with
 * no network — a reload, a new tab — still signed in; and Chromium itself finds it installable
 * (the manifest, its icons, the service worker).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { signUpThroughUi } from "./support/auth";
import { CHROMIUM_PATH } from "./support/chromium";
import { startStack, type E2EStack } from "./support/local-stack";

let stack: E2EStack;
let context: BrowserContext;
// A profile of its own, not an incognito context: Chromium never offers to install from incognito.
const profile = mkdtempSync(join(tmpdir(), "tasks-pwa-"));

beforeAll(async () => {
  [stack, context] = await Promise.all([
    startStack(),
    chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"] }),
  ]);
});

afterAll(async () => {
  await context?.close();
  await stack?.stop();
  rmSync(profile, { recursive: true, force: true });
});

describe("the PWA in Chromium against the offline stack", () => {
  it("opens with no network after one visit, still signed in, and is installable", async () => {
    onTestFailed(() => console.error(`The offline stack logged:\n${stack.log.join("\n")}`));
    const page = await context.newPage();
    await page.goto(stack.webUrl);
    // The service worker is active once the app shell is in its precache.
    const scope = await page.evaluate(() =>
      Promise.race([
        navigator.serviceWorker.ready.then((registration) => registration.scope),
        new Promise<string>((resolve) => setTimeout(() => resolve("no service worker within 30 s"), 30_000)),
      ]),
    );
    expect(scope).toBe(`${stack.webUrl}/`);
    await signUpThroughUi(page, stack, "offline@example.com");

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: Array<{ errorId: string }> };
    expect(installabilityErrors).toEqual([]);
    const manifest = (await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      return link ? ((await fetch(link.href)).json() as Promise<unknown>) : null;
    })) as { display: string; icons: Array<{ sizes: string; purpose?: string }> } | null;
    expect(manifest).toMatchObject({ display: "standalone" });
    expect(manifest!.icons.map((icon) => `${icon.sizes}${icon.purpose ? ` ${icon.purpose}` : ""}`)).toEqual(
      expect.arrayContaining(["192x192", "512x512", "512x512 maskable"]),
    );

    await context.setOffline(true);
    await page.reload();
    await page.getByRole("button", { name: /^Account: / }).waitFor();
    expect(await page.title()).toBe("Tasks");

    // A new tab, a deep link, still no network: the same shell from the cache.
    const another = await context.newPage();
    await another.goto(`${stack.webUrl}/#/active`);
    await another.getByRole("button", { name: /^Account: / }).waitFor();
  });
});
