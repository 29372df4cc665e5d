/**
 * The SPA's cost of toggling a task must not grow with the list: click → next paint in Chromium,
 * a list of 1 000 tasks against a list of 10, side by side (interleaved rounds, one browser).
 * The SPA is the production build, served from a folder, against the offline stack. The first
 * three rounds of each are warm-up (JIT, lazy chunks) and left out.
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, newTodoId } from "@tasks/core";
import { startLocalStack } from "@tasks/local/stack";
import { chromium, type Page } from "playwright-core";
import { PASSWORD, signUpAndSignIn } from "../../packages/local/test-support/cognito-users.js";
import type { Report } from "../report.js";
import { median } from "../stats.js";

const webDir = resolve(import.meta.dirname, "../../packages/web");
const ROUNDS = 30;
const SIZES = { small: 10, large: 1_000 } as const;

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

/** A static server for the build: files, and index.html for anything else (the app's routes are in the hash). */
function serve(dir: string, port: number): Promise<Server> {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dir, path === "/" ? "index.html" : path);
    try {
      const body = await readFile(file);
      response.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(200, { "Content-Type": "text/html" }).end(await readFile(join(dir, "index.html")));
    }
  });
  return new Promise((done) => server.listen(port, "127.0.0.1", () => done(server)));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

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

export async function measureSpaToggle(report: Report, outDir: string) {
  const webPort = await freePort();
  const webOrigin = `http://127.0.0.1:${webPort}`;
  const stack = await startLocalStack({
    web: false,
    ports: { dynamodb: 0, cognito: 0, api: 0 },
    allowOrigins: [webOrigin],
    throttle: { rateLimit: 1_000_000, burstLimit: 1_000_000 },
    handlerEnvironment: { POWERTOOLS_LOG_LEVEL: "WARN", MAX_TODOS_PER_USER: "1000000" },
    log: () => undefined,
  });
  const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint });
  let server: Server | undefined;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    execFileSync("pnpm", ["exec", "vite", "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"], {
      cwd: webDir,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        VITE_USER_POOL_ID: stack.userPoolId,
        VITE_USER_POOL_CLIENT_ID: stack.userPoolClientId,
        VITE_API_URL: stack.apiUrl,
        VITE_REGION: stack.region,
        VITE_COGNITO_ENDPOINT: stack.cognitoEndpoint,
      },
    });
    // On the port chosen before the stack started: its CORS allows that origin.
    server = await serve(outDir, webPort);

    const pages: Record<keyof typeof SIZES, Page> = {} as never;
    for (const [name, count] of Object.entries(SIZES) as Array<[keyof typeof SIZES, number]>) {
      const email = `bench-toggle-${name}-${Date.now()}@example.com`;
      const user = await signUpAndSignIn(stack, email);
      const start = Date.now() - count;
      const items = Array.from({ length: count }, (_, i) => {
        const at = new Date(start + i).toISOString();
        return { userId: user.sub, todoId: newTodoId(new Date(start + i)), title: `task ${i}`, completed: false, order: start + i, createdAt: at, updatedAt: at, version: 1 };
      });
      for (let i = 0; i < items.length; i += 25) {
        await db.send(new BatchWriteCommand({ RequestItems: { [stack.tableNames.todos]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
      }
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" })).newPage();
      await page.goto(webOrigin);
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
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
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    db.destroy();
    await stack.stop();
  }
}
