/**
 * Makes sure `.sst/platform` holds the platform of the sst version in package.json, by running
 * `sst install` once. That command needs only the npm registry when the Pulumi and Bun downloads
 * are skipped (../../README.md, "Deploy"); every other sst command needs the Pulumi engine.
 *
 * Warm runs cost a few file reads: the install is skipped while `.sst/platform/version` matches
 * the sst package and the pieces the tests use are present.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { PLATFORM_DIR, ROOT, SST_DIR } from "./paths";

/** What the evaluation and the type-check read from the platform. */
const REQUIRED = [
  "config.d.ts",
  "src/auto/run.ts",
  "src/shim/run.js",
  "src/components/index.ts",
  "node_modules/@pulumi/pulumi/package.json",
  "node_modules/@pulumi/aws/package.json",
];

const LOCK = join(SST_DIR, "platform.install-lock");

/** The version of the sst CLI this repository pins (the root devDependency). */
export function sstVersion(): string {
  const manifest = join(ROOT, "node_modules", "sst", "package.json");
  if (!existsSync(manifest)) throw new Error("The sst package is not installed: run `pnpm install` first.");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/** Why the platform cannot be used as it is, or undefined when it can. */
export function platformProblem(): string | undefined {
  const versionFile = join(PLATFORM_DIR, "version");
  if (!existsSync(versionFile)) return "not installed";
  const installed = readFileSync(versionFile, "utf8").trim();
  const wanted = sstVersion();
  if (installed !== wanted) return `platform ${installed} installed, sst ${wanted} wanted`;
  const missing = REQUIRED.filter((file) => !existsSync(join(PLATFORM_DIR, file)));
  if (missing.length > 0) return `incomplete (missing ${missing.join(", ")})`;
  return undefined;
}

/** Installs the platform unless it is already there; safe to call from several processes. */
export async function ensurePlatform(log: (line: string) => void = () => {}): Promise<void> {
  if (!platformProblem()) return ensureGeneratedTypes();
  mkdirSync(SST_DIR, { recursive: true });
  await withLock(async () => {
    const problem = platformProblem();
    if (!problem) return;
    log(`SST platform ${problem}: running \`sst install\` (offline-capable, ~30-60 s)...`);
    const started = Date.now();
    await sstInstall();
    const after = platformProblem();
    if (after) throw new Error(`\`sst install\` finished but the SST platform is still ${after} in ${PLATFORM_DIR}.`);
    log(`SST platform ${sstVersion()} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  });
  ensureGeneratedTypes();
}

/**
 * config.d.ts imports `.sst/types.generated.ts`, which only `sst dev`/`deploy` write (the types
 * of linked resources). This app links nothing, so an empty module is the same declaration.
 */
function ensureGeneratedTypes(): void {
  const file = join(SST_DIR, "types.generated.ts");
  if (!existsSync(file)) writeFileSync(file, "export {};\n");
}

async function sstInstall(): Promise<void> {
  const sst = join(ROOT, "node_modules", ".bin", "sst");
  if (!existsSync(sst)) throw new Error(`${sst} is missing: run \`pnpm install\` first.`);
  // A scratch HOME: sst keeps a global config there (and would look for Pulumi and Bun in it).
  // The npm that sst runs must still see this machine's npm settings (registry, CA file), which
  // live in the real HOME's .npmrc and in the global npmrc of the npm on PATH.
  const home = mkdtempSync(join(tmpdir(), "sst-home-"));
  const userNpmrc = join(homedir(), ".npmrc");
  try {
    const output: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(sst, ["install", "--stage", "ci"], {
        cwd: ROOT,
        env: {
          ...process.env,
          HOME: home,
          ...(existsSync(userNpmrc) && !process.env.NPM_CONFIG_USERCONFIG ? { NPM_CONFIG_USERCONFIG: userNpmrc } : {}),
          SST_TELEMETRY_DISABLED: "1",
          SST_SKIP_DEPENDENCY_CHECK: "1",
          SST_NO_BUN: "1",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.on("error", reject);
      child.on("close", resolve);
    });
    if (code !== 0) {
      throw new Error(
        [
          `\`sst install\` failed (exit ${code}), so the SST platform the infra tests and typecheck need is missing.`,
          "It needs the npm registry (it installs @pulumi/aws and SST's other dependencies into .sst/platform).",
          "Output:",
          output.join("").trim().split("\n").slice(-30).join("\n"),
        ].join("\n"),
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** One installer at a time (a typecheck and vitest may start together). */
async function withLock(work: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${LOCK}; remove it if no install is running.`);
      await sleep(500);
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await ensurePlatform((line) => console.log(line));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
