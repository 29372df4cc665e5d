/**
 * What the SPA sections share: the offline stack, the production build of the SPA pointed at it
 * (built once per run), a static server for that build on 127.0.0.1, users seeded with tasks
 * straight into the table, Chromium, and signing in through the UI as a person does.
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, newTodoId } from "@tasks/core";
import { startLocalStack, type LocalStack } from "@tasks/local/stack";
import type { Page } from "playwright-core";
import { PASSWORD, signUpAndSignIn } from "../../packages/local/test-support/cognito-users.js";

const webDir = resolve(import.meta.dirname, "../../packages/web");


const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
  ".json": "application/json",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".svg", ".webmanifest", ".json"]);

/**
 * A static server for the build: files, and index.html for anything else (the app's routes are in
 * the hash). As the deployed site (SST's StaticSite on CloudFront) serves them: text gzipped when
 * the browser accepts it (Lighthouse's simulated slow network would otherwise time bytes no user
 * downloads), HTML revalidated on every visit and every other file cached for good (SST's default).
 */
export function serve(dir: string, port: number): Promise<Server> {
  const gzipped = new Map<string, Buffer>();
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(dir, path === "/" ? "index.html" : path);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      file = join(dir, "index.html");
      body = await readFile(file);
    }
    const headers: Record<string, string> = {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Cache-Control": extname(file) === ".html" ? "max-age=0,no-cache,no-store,must-revalidate" : "max-age=31536000,public,immutable",
      Vary: "Accept-Encoding",
    };
    if (COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) {
      let zipped = gzipped.get(file);
      if (!zipped) gzipped.set(file, (zipped = gzipSync(body)));
      body = zipped;
      headers["Content-Encoding"] = "gzip";
    }
    response.writeHead(200, headers).end(body);
  });
  return new Promise((done) => server.listen(port, "127.0.0.1", () => done(server)));
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/** `vite build` of packages/web into `outDir`, configured by the VITE_* variables given. */
export function buildSpa(outDir: string, env: Record<string, string>): void {
  execFileSync("pnpm", ["exec", "vite", "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"], {
    cwd: webDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env },
  });
}

// The browser as every headless run here launches it: one set of flags (the e2e tests' own).
export { CHROMIUM_FLAGS, CHROMIUM_PATH, launchChromium } from "../../packages/web/e2e/support/chromium.js";

/** Signs in on the sign-in screen the app opens to, as a person does. */
export async function signInThroughUi(page: Page, email: string): Promise<void> {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export interface SpaHarness {
  /** The built SPA's folder. */
  outDir: string;
  /** Where the build is served (the stack's CORS allows this origin). */
  webOrigin: string;
  stack: LocalStack;
  db: DynamoDBDocumentClient;
  /** A new confirmed user with `count` open tasks (`task 0`…, oldest first) written straight into the table. */
  seedUser(name: string, count: number): Promise<{ email: string; userId: string }>;
  stop(): Promise<void>;
}

/**
 * The offline stack without its web piece, the production build pointed at it (the live socket
 * is left out of the build: no section measures it, and its pokes would add renders to others),
 * served on a port chosen before the stack starts so that its CORS allows that origin.
 */
export async function startSpaHarness(outDir: string): Promise<SpaHarness> {
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
  const stop = async () => {
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    db.destroy();
    await stack.stop();
  };
  try {
    buildSpa(outDir, {
      VITE_USER_POOL_ID: stack.userPoolId,
      VITE_USER_POOL_CLIENT_ID: stack.userPoolClientId,
      VITE_API_URL: stack.apiUrl,
      VITE_REGION: stack.region,
      VITE_COGNITO_ENDPOINT: stack.cognitoEndpoint,
    });
    server = await serve(outDir, webPort);
  } catch (error) {
    await stop();
    throw error;
  }

  async function seedUser(name: string, count: number) {
    const email = `bench-${name}-${Date.now()}@example.com`;
    const user = await signUpAndSignIn(stack, email);
    const start = Date.now() - count;
    const items = Array.from({ length: count }, (_, i) => {
      const at = new Date(start + i).toISOString();
      return { userId: user.sub, todoId: newTodoId(new Date(start + i)), title: `task ${i}`, completed: false, order: start + i, createdAt: at, updatedAt: at, version: 1 };
    });
    for (let i = 0; i < items.length; i += 25) {
      await db.send(new BatchWriteCommand({ RequestItems: { [stack.tableNames.todos]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    return { email, userId: user.sub };
  }

  return { outDir, webOrigin, stack, db, seedUser, stop };
}
