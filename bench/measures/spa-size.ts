/**
 * The SPA's initial JavaScript, gzipped: what index.html loads before anything is lazily imported
 * (the entry script and its modulepreloads), from the production build (./spa-harness.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Report } from "../report.js";

export function measureSpaSize(report: Report, outDir: string) {
  const html = readFileSync(join(outDir, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]!);
  if (scripts.length === 0) throw new Error("index.html loads no script");
  const bytes = scripts.reduce((sum, src) => sum + gzipSync(readFileSync(join(outDir, src.replace(/^\//, "")))).byteLength, 0);
  report.add("SPA initial JS (gzip)", bytes / 1024, "KB", 150, "lower", `${scripts.length} file(s)`);
}
