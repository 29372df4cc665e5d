/**
 * Lighthouse on the built app's sign-in page (what a new visitor opens): performance,
 * accessibility and best practices, with Lighthouse's standard settings — a mobile device on a
 * simulated slow 4G network and a 4× slower CPU, storage reset before each run (a first visit).
 * The same Chromium as the other SPA sections, headless, with nothing that reaches the internet
 * (no background networking, component updates or sync). The score of each category is the median
 * of a few runs (Lighthouse's advice against run-to-run variance); the HTML report of the median
 * performance run is written to bench/artifacts/lighthouse-sign-in.html (git-ignored).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type Result } from "lighthouse";
import type { Report } from "../report.js";
import { median } from "../stats.js";
import { CHROMIUM_FLAGS, CHROMIUM_PATH, type SpaHarness } from "./spa-harness.js";

const RUNS = 3;
const BUDGETS = { performance: 95, accessibility: 100, "best-practices": 100 } as const;
type Category = keyof typeof BUDGETS;
const NAMES: Record<Category, string> = { performance: "performance", accessibility: "accessibility", "best-practices": "best practices" };
const ARTIFACTS = resolve(import.meta.dirname, "../artifacts");


const score = (lhr: Result, category: Category) => Math.round((lhr.categories[category]?.score ?? 0) * 100);

/** The scored audits of a category that did not get full marks, with what Lighthouse says of each. */
function lostPoints(lhr: Result, category: Category): Array<{ id: string; text: string }> {
  return (lhr.categories[category]?.auditRefs ?? [])
    .filter((ref) => ref.weight > 0)
    .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
    .filter(({ audit }) => audit && audit.score !== null && audit.score < 1)
    .map(({ ref, audit }) => ({ id: ref.id, text: `${ref.id} (${Math.round((audit!.score ?? 0) * 100)}${audit!.displayValue ? `, ${audit!.displayValue}` : ""})` }));
}

const METRICS = { FCP: "first-contentful-paint", LCP: "largest-contentful-paint", TBT: "total-blocking-time", CLS: "cumulative-layout-shift", SI: "speed-index" };

export async function measureLighthouse(report: Report, spa: SpaHarness) {
  const url = `${spa.webOrigin}/`;
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_FLAGS, logLevel: "silent" });
  const runs: Array<{ lhr: Result; html: string }> = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const result = await lighthouse(url, { port: chrome.port, logLevel: "error", output: "html", onlyCategories: Object.keys(BUDGETS) });
      if (!result) throw new Error("Lighthouse returned no result");
      const { lhr } = result;
      if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      if (lhr.finalDisplayedUrl !== url) throw new Error(`Lighthouse ended on ${lhr.finalDisplayedUrl}, not ${url}`);
      runs.push({ lhr, html: String(result.report) });
    }
  } finally {
    chrome.kill();
  }

  const middle = [...runs].sort((a, b) => score(a.lhr, "performance") - score(b.lhr, "performance"))[Math.floor(RUNS / 2)]!;
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(resolve(ARTIFACTS, "lighthouse-sign-in.html"), middle.html);
  const metrics = Object.entries(METRICS).map(([name, id]) => `${name} ${middle.lhr.audits[id]?.displayValue ?? "?"}`).join(", ");
  for (const category of Object.keys(BUDGETS) as Category[]) {
    const scores = runs.map(({ lhr }) => score(lhr, category));
    // Every run's shortfalls, each audit once and as the median run saw it when it lost points there
    // too: a point lost in one run of three is worth a look.
    const lost = new Map<string, string>();
    for (const { lhr } of [middle, ...runs.filter((run) => run !== middle)]) {
      for (const entry of lostPoints(lhr, category)) if (!lost.has(entry.id)) lost.set(entry.id, entry.text);
    }
    const details = [`runs ${scores.join(" · ")}`, ...(category === "performance" ? [metrics] : []), ...(lost.size > 0 ? [`points lost to ${[...lost.values()].join(", ")}`] : [])];
    report.add(`Lighthouse, sign-in page (mobile): ${NAMES[category]}`, median(scores), "", BUDGETS[category], "higher", details.join("; "));
  }
}
