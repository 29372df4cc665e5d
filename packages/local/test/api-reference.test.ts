/**
 * The offline stack's API reference page: the local gateway serves it, the spec it renders is
 * docs/openapi.json as committed, and in headless Chromium it renders every operation of the
 * document without a single request leaving 127.0.0.1 (no CDN, no online validator).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_REFERENCE_PATH } from "../src/api-reference.js";
import { startGateway, type Gateway } from "../src/gateway.js";
import { REPO_ROOT } from "../src/stack.js";

const SPEC = JSON.parse(readFileSync(join(REPO_ROOT, "docs/openapi.json"), "utf8")) as { paths: Record<string, Record<string, unknown>> };
const OPERATIONS = Object.values(SPEC.paths).reduce((count, methods) => count + Object.keys(methods).length, 0);

let gateway: Gateway;
let browser: Browser | undefined;

beforeAll(async () => {
  // No route is called: an authorizer that refuses everything will do.
  gateway = await startGateway({ authorizer: async () => undefined, allowOrigins: [], log: () => undefined });
});
afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
});

describe("the API reference page", () => {
  it("is served by the local gateway, with the spec as committed and its assets from node_modules", async () => {
    const page = await fetch(`${gateway.url}${API_REFERENCE_PATH}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("swagger-ui-bundle.js");
    expect(html, "the page names no other host").not.toMatch(/https?:\/\//);

    const spec = await fetch(`${gateway.url}${API_REFERENCE_PATH}openapi.json`);
    expect(spec.status).toBe(200);
    expect(await spec.json()).toEqual(SPEC);

    const bundle = await fetch(`${gateway.url}${API_REFERENCE_PATH}swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await fetch(`${gateway.url}${API_REFERENCE_PATH}nothing-here.js`)).status).toBe(404);
    // An API path is still the API's: unknown route, API Gateway's 404.
    expect((await fetch(`${gateway.url}/reference`)).status).toBe(404);
  });

  it("renders every operation in Chromium with no request beyond the gateway", async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
    });
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(gateway.url) && !request.url().startsWith("data:")) elsewhere.push(request.url());
    });
    await page.goto(`${gateway.url}${API_REFERENCE_PATH}`);
    // A string, evaluated in the page (this package is type-checked without the DOM library).
    await page.waitForFunction(`document.querySelectorAll(".opblock").length === ${OPERATIONS}`, undefined, { timeout: 30_000 });
    expect(await page.locator(".opblock-summary-path").allTextContents()).toEqual(expect.arrayContaining(["/todos", "/export", "/account"]));
    expect(elsewhere).toEqual([]);
  }, 60_000);
});
