/**
 * The SPA's cost of toggling a task must not grow with the list: click → next paint in Chromium,
 * a list of 1 000 tasks against a list of 10, side by side (interleaved rounds, one browser).
 * The SPA is the production build, served from a folder, against the offline stack
 * (./spa-harness.ts). The first three rounds of each are warm-up (JIT, lazy chunks) and left out.
 */
import type { Page } from "playwright-core";
import type { Report } from "../report.js";
import { median } from "../stats.js";
import { launchChromium, signInThroughUi, type SpaHarness } from "./spa-harness.js";

const ROUNDS = 30;
const SIZES = { small: 10, large: 1_000 } as const;

/**
 * Clicks the check of row `index` and waits for the next paint after it shows the new state.
 * A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
 */
const TOGGLE_TO_PAINT = `(index) => new Promise((done) => {
  const row = document.querySelectorAll(".todo-list > li")[index];
  const box = row.querySelector(".toggle");
  const expected = !box.checked;
  const started = performance.now();
  box.click();
  (window.__clickHandled ??= []).push(performance.now() - started);
  const afterPaint = () => requestAnimationFrame(() => setTimeout(() =>
    row.classList.contains("completed") === expected ? done(performance.now() - started) : afterPaint(), 0));
  afterPaint();
})`;

const toggleToPaint = (page: Page, index: number): Promise<number> => page.evaluate(`(${TOGGLE_TO_PAINT})(${index})`);

export async function measureSpaToggle(report: Report, spa: SpaHarness) {
  const browser = await launchChromium();
  try {
    const pages: Record<keyof typeof SIZES, Page> = {} as never;
    for (const [name, count] of Object.entries(SIZES) as Array<[keyof typeof SIZES, number]>) {
      const { email } = await spa.seedUser(`toggle-${name}`, count);
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" })).newPage();
      await page.goto(spa.webOrigin);
      await signInThroughUi(page, email);
      await page.locator(".todo-count", { hasText: `${count} items left` }).waitFor({ timeout: 60_000 });
      // Reordering's module is loaded (the rows are sortable) before measuring.
      await page.locator(".todo-list .drag-handle").first().waitFor();
      pages[name] = page;
    }

    const samples: Record<keyof typeof SIZES, number[]> = { small: [], large: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 === 0 ? (["small", "large"] as const) : (["large", "small"] as const)) {
        const page = pages[name];
        const saved = page.waitForResponse((response) => response.request().method() === "PATCH");
        saved.catch(() => undefined); // reported by the await below, or moot when a round failed
        samples[name].push(await toggleToPaint(page, round % 5));
        await saved; // one write at a time: the next round starts on a quiet page
      }
    }
    // Of which the click's own handling (React's synchronous render of the row), for diagnosis.
    const handled = async (name: keyof typeof SIZES) => median(((await pages[name].evaluate("window.__clickHandled")) as number[]).slice(3));
    const [handledSmall, handledLarge] = [await handled("small"), await handled("large")];
    const small = median(samples.small.slice(3));
    const large = median(samples.large.slice(3));
    report.add(
      "SPA toggle at 1 000 tasks / at 10, click → next paint, p50",
      large / small,
      "×",
      1.5,
      "lower",
      `${large.toFixed(1)} vs ${small.toFixed(1)} ms; the click's own handling ${handledLarge.toFixed(1)} vs ${handledSmall.toFixed(1)} ms`,
    );
  } finally {
    await browser.close();
  }
}
