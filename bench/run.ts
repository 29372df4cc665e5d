/**
 * `pnpm bench`: the app against its physical floor and its budgets, every speed figure a ratio of
 * two things measured side by side in this run. Prints a table, writes bench/results.json and
 * exits non-zero when a budget fails.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createDocumentClient } from "@tasks/core";
import { startLocalStack } from "@tasks/local/stack";
import { signUpAndSignIn } from "../packages/local/test-support/cognito-users.js";
import { measureApi } from "./measures/api.js";
import { buildBundles, measureColdInit, measureSizes } from "./measures/bundles.js";
import { measureFirstPaint } from "./measures/first-paint.js";
import { measureLighthouse } from "./measures/lighthouse.js";
import { measureListScale } from "./measures/list-scale.js";
import { measureListPages, measureMarkAll } from "./measures/lists.js";
import { measureLive } from "./measures/live.js";
import { startSpaHarness, type SpaHarness } from "./measures/spa-harness.js";
import { measureSpaSize } from "./measures/spa-size.js";
import { measureSpaToggle } from "./measures/spa-toggle.js";
import { measureSyncTransfer } from "./measures/sync.js";
import { Report } from "./report.js";

const started = performance.now();
const report = new Report();
const scratch = mkdtempSync(join(tmpdir(), "tasks-bench-"));

/**
 * `pnpm bench [api|live|bundles|spa]` runs only the named sections; of the SPA's, `spa` runs them
 * all and `spa-size`, `spa-toggle`, `first-paint`, `lighthouse` one each.
 */
const only = process.argv.slice(2).filter((arg) => arg !== "--");

async function section(title: string, run: () => Promise<void>, keys: string[] = []) {
  if (keys.length > 0 && only.length > 0 && !keys.some((key) => only.includes(key))) return;
  console.log(`\n# ${title}`);
  try {
    await run();
  } catch (error) {
    report.fail(title, error instanceof Error ? error.message : String(error));
  }
}

try {
  await section("API overhead and throughput (gateway + handler + DynamoDB Local vs bare DynamoDB)", async () => {
    const stack = await startLocalStack({
      web: false,
      ports: { dynamodb: 0, cognito: 0, api: 0 },
      // Measure the application, not the stage throttle (which has its own tests).
      throttle: { rateLimit: 1_000_000, burstLimit: 1_000_000 },
      // The per-user limit still counts every request (its cost is measured), but never refuses one.
      handlerEnvironment: { POWERTOOLS_LOG_LEVEL: "WARN", MAX_TODOS_PER_USER: "1000000", USER_RATE_LIMIT_REQUESTS: "1000000000" },
      log: () => undefined,
    });
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint });
    try {
      const user = await signUpAndSignIn(stack, `bench-${Date.now()}@example.com`);
      await measureApi(report, {
        apiUrl: stack.apiUrl,
        accessToken: user.accessToken,
        userId: user.sub,
        dynamoDbEndpoint: stack.dynamoDbEndpoint,
        table: stack.tableNames.todos,
        rateLimitsTable: stack.tableNames.rateLimits,
      });
      await section("List cost per page as a user's tasks grow", () => measureListScale(report, db, stack.tableNames.todos));
      await section("A page of one list as a user's tasks and lists grow", () => measureListPages(report, db, stack.tableNames.todos));
      await section("Mark all over 1 000 tasks vs the bare writes it makes", () =>
        measureMarkAll(report, { apiUrl: stack.apiUrl, accessToken: user.accessToken, userId: user.sub, db, table: stack.tableNames.todos }),
      );
      await section("Sync after one change at 10 000 tasks vs a full reload", async () => {
        const syncing = await signUpAndSignIn(stack, `bench-sync-${Date.now()}@example.com`);
        await measureSyncTransfer(report, { apiUrl: stack.apiUrl, accessToken: syncing.accessToken, userId: syncing.sub, db, table: stack.tableNames.todos });
      });
    } finally {
      db.destroy();
      await stack.stop();
    }
  }, ["api"]);

  await section("Live pokes: write → poke through the stream, the fan-out and the WebSocket gateway vs bare", async () => {
    const stack = await startLocalStack({ web: false, handlerEnvironment: { POWERTOOLS_LOG_LEVEL: "WARN" }, log: () => undefined });
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint });
    try {
      const users = [];
      for (const name of ["one", "one-floor", "hundred", "hundred-floor"]) users.push(await signUpAndSignIn(stack, `bench-live-${name}-${Date.now()}@example.com`));
      await measureLive(report, {
        wsUrl: stack.wsUrl,
        wsManagementEndpoint: stack.wsManagementEndpoint,
        dynamoDbEndpoint: stack.dynamoDbEndpoint,
        table: stack.tableNames.todos,
        connectionsTable: stack.tableNames.connections,
        db,
        users: users as [typeof users[0], typeof users[0], typeof users[0], typeof users[0]],
      });
    } finally {
      db.destroy();
      await stack.stop();
    }
  }, ["live"]);

  await section("Lambda bundles: size and cold init vs a minimal DynamoDB handler", async () => {
    const pairs = await buildBundles(join(scratch, "bundles"));
    measureSizes(report, pairs);
    measureColdInit(report, pairs);
  }, ["bundles"]);

  // One offline stack and one production build of the SPA for all its sections, made on first use.
  let spa: Promise<SpaHarness> | undefined;
  const harness = () => (spa ??= startSpaHarness(join(scratch, "web")));
  try {
    await section("SPA initial JavaScript", async () => measureSpaSize(report, (await harness()).outDir), ["spa", "spa-size"]);
    await section("SPA: toggling a task at 1 000 tasks vs 10 (Chromium, production build)", async () => measureSpaToggle(report, await harness()), ["spa", "spa-toggle"]);
    await section("SPA: a returning user's first list paint, every API answer 5 s late vs on time", async () => measureFirstPaint(report, await harness()), ["spa", "first-paint"]);
    // Last: its simulated timings scale what it observes, so it runs with no other browser open.
    await section("SPA: Lighthouse on the sign-in page", async () => measureLighthouse(report, await harness()), ["spa", "lighthouse"]);
  } finally {
    await (await spa?.catch(() => undefined))?.stop();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const seconds = (performance.now() - started) / 1000;
const output = resolve(import.meta.dirname, "results.json");
report.write(output, { generatedAt: new Date().toISOString(), node: process.version, cpus: (await import("node:os")).cpus().length, seconds: Math.round(seconds) });
const failed = report.failed;
console.log(`\n${report.results.length - failed.length} passed, ${failed.length} failed (${seconds.toFixed(0)} s) — ${output}`);
process.exit(failed.length > 0 ? 1 : 0);
