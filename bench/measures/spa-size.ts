/**
 * The SPA's initial JavaScript, gzipped: what index.html loads before anything is lazily imported
 * (the entry script and its modulepreloads), from a production build.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { Report } from "../report.js";

const webDir = resolve(import.meta.dirname, "../../packages/web");

export async function measureSpaSize(report: Report, outDir: string) {
  execFileSync("pnpm", ["exec", "vite", "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"], {
    cwd: webDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      VITE_USER_POOL_ID: "us-east-1_bench",
      VITE_USER_POOL_CLIENT_ID: "bench",
      VITE_API_URL: "https://api.example.com",
      VITE_REGION: "us-east-1",
    },
  });
  const html = readFileSync(join(outDir, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]!);
  if (scripts.length === 0) throw new Error("index.html loads no script");
  const bytes = scripts.reduce((sum, src) => sum + gzipSync(readFileSync(join(outDir, src.replace(/^\//, "")))).byteLength, 0);
  report.add("SPA initial JS (gzip)", bytes / 1024, "KB", 150, "lower", `${scripts.length} file(s)`);
}
