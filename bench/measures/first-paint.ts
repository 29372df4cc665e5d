/**
 * A returning user's first list paint must not wait for the network: the SPA is local-first, its
 * replica (IndexedDB, packages/web/src/sync/) paints the list before any answer arrives. Two
 * browser contexts of one user with 1 000 tasks, each signed in once and synced; then, in
 * interleaved rounds, the app is opened again in each — navigation start → the first frame with
 * all 1 000 rows — one context with every request to the API and to Cognito held back 5 s, the
 * other with the same routing and no delay. The first rounds are warm-up (JIT, service-worker
 * caches) and left out. Twice: with the access token still valid (no Cognito call), and with it
 * expired since the last visit, when the open refreshes it at Cognito — a returning user too.
 *
 * The app shell comes from the static server without delay, and from the service worker that
 * the production build registers, which a returning user has: it is kept, and each measured open
 * must be one the service worker controls. It never answers the API or Cognito (other origins,
 * vite.config.ts), so the delays apply to every request they get; a round in which no request was
 * held would prove nothing, and fails the section.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Report } from "../report.js";
import { median } from "../stats.js";
import { launchChromium, signInThroughUi, type SpaHarness } from "./spa-harness.js";

const TASKS = 1_000;
const DELAY_MS = 5_000;
const ROUNDS = 20;
const WARMUP = 2;

/**
 * Installed before any script of each page: `window.__listPainted` is the time since navigation
 * start of the first frame painted with the list of all the tasks (the next task after the animation frame
 * that follows the mutation adding them). A string: tsx would wrap a function's inner names in a
 * helper the page lacks.
 */
const WATCH_LIST_PAINT = `(() => {
  const observer = new MutationObserver(() => {
    // All the tasks are there (the count says so) and the first rows are painted: a long list
    // renders only the rows near the viewport.
    if (!document.querySelector(".todo-list > li") || !document.querySelector(".todo-count")?.textContent?.includes("${TASKS} items left")) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__listPainted = performance.now(); }, 0));
  });
  observer.observe(document, { childList: true, subtree: true });
})()`;

/**
 * Installed in the contexts of a user whose access token has expired since the last visit (an hour
 * after it was issued, Cognito's default): before the app reads it, the stored token's `exp` is put
 * in the past. Amplify reads it unverified and refreshes it with the refresh token, at Cognito.
 */
const EXPIRE_ACCESS_TOKEN = `(() => {
  if (location.protocol !== "http:") return;
  for (const key of Object.keys(localStorage)) {
    if (!key.endsWith(".accessToken")) continue;
    const [header, payload, signature] = localStorage.getItem(key).split(".");
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    claims.exp = Math.floor(Date.now() / 1000) - 60;
    const encoded = btoa(JSON.stringify(claims)).replace(/=+$/, "").replace(/[+]/g, "-").replace(/[/]/g, "_");
    localStorage.setItem(key, [header, encoded, signature].join("."));
  }
})()`;

type Case = "instant" | "delayed";

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function measureFirstPaint(report: Report, spa: SpaHarness) {
  const { email } = await spa.seedUser("first-paint", TASKS);
  const browser = await launchChromium();
  try {
    await comparePaints(report, spa, browser, email, { expired: false, rounds: ROUNDS });
    // Each delayed open of these waits 5 s for the refresh, then 5 s more for the pull: fewer rounds.
    await comparePaints(report, spa, browser, email, { expired: true, rounds: 8 });
  } finally {
    await browser.close();
  }
}

async function comparePaints(report: Report, spa: SpaHarness, browser: Browser, email: string, { expired, rounds }: { expired: boolean; rounds: number }) {
  const backendOrigins = new Set([new URL(spa.stack.apiUrl).origin, new URL(spa.stack.cognitoEndpoint).origin]);
  if (backendOrigins.has(new URL(spa.webOrigin).origin)) throw new Error("the app shell shares an origin with the API or Cognito");
  const contexts = {} as Record<Case, BrowserContext>;
  const pages = {} as Record<Case, Page>;
  try {
    for (const name of ["instant", "delayed"] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" });
      contexts[name] = context;
      await context.addInitScript(WATCH_LIST_PAINT);
      const page = await context.newPage();
      await page.goto(spa.webOrigin);
      await signInThroughUi(page, email);
      await page.locator(".todo-count", { hasText: `${TASKS} items left` }).waitFor({ timeout: 60_000 });
      await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
      if (expired) await context.addInitScript(EXPIRE_ACCESS_TOKEN);
      pages[name] = page;
    }

    // From now on the requests of both contexts to the API and Cognito go through Playwright's
    // routing (which turns off the HTTP cache: alike on both sides); the delayed context's wait 5 s.
    const held: string[] = [];
    for (const name of ["instant", "delayed"] as const) {
      await contexts[name].route(
        (url) => backendOrigins.has(url.origin),
        async (route) => {
          if (name === "delayed") {
            held.push(`${route.request().method()} ${new URL(route.request().url()).origin === new URL(spa.stack.cognitoEndpoint).origin ? "Cognito" : "API"} ${new URL(route.request().url()).pathname}`);
            await sleep(DELAY_MS);
          }
          await route.continue().catch(() => undefined); // the page has moved on meanwhile
        },
      );
    }

    const samples: Record<Case, number[]> = { instant: [], delayed: [] };
    const heldPerOpen: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const name of round % 2 === 0 ? (["instant", "delayed"] as const) : (["delayed", "instant"] as const)) {
        const page = pages[name];
        const heldBefore = held.length;
        await page.goto(spa.webOrigin, { waitUntil: "commit" });
        const painted = (await (await page.waitForFunction("window.__listPainted", undefined, { timeout: 60_000, polling: 100 })).jsonValue()) as number;
        if (!(await page.evaluate("navigator.serviceWorker.controller !== null"))) throw new Error(`the ${name} open was not served by the service worker`);
        await page.locator(".todo-count", { hasText: `${TASKS} items left` }).waitFor();
        // Reordering's lazy module too, so that nothing of this open is left to run in the next one.
        await page.locator(".todo-list .drag-handle").first().waitFor({ timeout: 60_000 });
        if (name === "delayed") {
          heldPerOpen.push(held.length - heldBefore);
          if (held.length === heldBefore) throw new Error("the delayed open made no request to the API or Cognito: nothing was held back");
        }
        // Away from the app, so that its held requests answer while nothing is measured.
        await page.goto("about:blank");
        samples[name].push(painted);
      }
    }
    const instant = median(samples.instant.slice(WARMUP));
    const delayed = median(samples.delayed.slice(WARMUP));
    const requests = [...new Set(held)].sort().join(", ");
    report.add(
      expired
        ? "SPA first list paint, returning user, 1 000 tasks, token expired: API and Cognito 5 s late / on time, p50"
        : "SPA first list paint, returning user, 1 000 tasks: API 5 s late / on time, p50",
      delayed / instant,
      "×",
      1.2,
      "lower",
      `${delayed.toFixed(0)} vs ${instant.toFixed(0)} ms navigation → rows painted; held back per open: ${median(heldPerOpen)} request(s) (${requests})`,
    );
  } finally {
    for (const context of Object.values(contexts)) await context.close();
  }
}
