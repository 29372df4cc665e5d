/**
 * Evaluates sst.config.ts offline with SST's real platform, the way `sst deploy` (or `sst dev`)
 * would, up to the point where the Pulumi engine takes over:
 *
 * 1. app(): bundled and run as the CLI does (pkg/project/project.go), then normalised as the CLI
 *    does (default removal, the home provider).
 * 2. run(): bundled as the CLI does (pkg/project/stack.go and pkg/js/js.go in sst/sst): `$app`,
 *    `$cli` and `$dev` defined, SST's shim injected (`$transform`, `$interpolate`, ...), `sst` and
 *    `aws` imported into every file of the app, `@pulumi/*` left to `.sst/platform/node_modules`.
 * 3. The bundle runs in a child process (runtime/runner.ts) under Pulumi's unit-test mocks, which
 *    stand in for the engine and the AWS provider; a stand-in for the CLI's RPC server answers the
 *    components' few calls to the CLI (function builds, the asset bucket).
 *
 * Everything between — SST's components, their defaults, transforms and validations, and
 * @pulumi/aws — is the real code a deploy runs. TASKS_KEEP_EVALUATION=1 keeps the bundles and the
 * recording in .sst/platform/.eval-<random>/ for a look.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { ensurePlatform } from "./ensure-platform";
import { PLATFORM_DIR, ROOT, SST_CONFIG } from "./paths";
import type { Recording, RunnerInput, SstApp, SstCli } from "./runtime/recording";

export type { RecordedResource, Recording, SstApp } from "./runtime/recording";

export interface EvaluateOptions {
  stage: string;
  /** Evaluate as `sst dev` does ($dev true). */
  dev?: boolean;
  /** Deploy-time environment on top of this process's; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /**
   * Test-only edits of the app's sources before bundling, by path relative to the repository
   * (e.g. one more route in the route table). Never used by `pnpm infra:plan`.
   */
  overlay?: Record<string, (source: string) => string>;
  /** Progress lines (platform install). */
  log?: (line: string) => void;
}

export interface Evaluation extends Recording {
  stage: string;
  dev: boolean;
  app: SstApp;
}

const RUNNER = fileURLToPath(new URL("./runtime/runner.ts", import.meta.url));

/** The banner the CLI puts on every bundle (pkg/js/js.go). */
const BANNER = `
import { createRequire as topLevelCreateRequire } from 'module';
const require = topLevelCreateRequire(import.meta.url);
import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"
const __filename = topLevelFileUrlToPath(import.meta.url)
const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))
`;

/** The CLI's externals (pkg/js/js.go): resolved at run time from .sst/platform/node_modules. */
const EXTERNAL = ["@pulumi/*", "undici", "@pulumiverse/*", "@sst-provider/*", "@aws-sdk/*", "esbuild", "archiver", "glob", "vite"];

const LOADERS: Record<string, esbuild.Loader> = { ".ts": "ts", ".tsx": "tsx", ".js": "js", ".jsx": "jsx" };

/**
 * The CLI's esbuild step: `globals` is prepended to every file outside `.sst` (that is how `sst`
 * and `aws` reach infra/*.ts without an import), `overlay` edits sources for tests.
 */
async function bundle(options: {
  code: string;
  outfile: string;
  banner?: string;
  define?: Record<string, string>;
  inject?: string[];
  globals?: string;
  overlay?: EvaluateOptions["overlay"];
}): Promise<void> {
  const overlay = new Map(Object.entries(options.overlay ?? {}).map(([path, edit]) => [join(ROOT, path), edit]));
  const used = new Set<string>();
  await esbuild.build({
    banner: { js: BANNER + (options.banner ?? "") },
    mainFields: ["module", "main"],
    format: "esm",
    platform: "node",
    sourcemap: "linked",
    stdin: { contents: options.code, resolveDir: ROOT, sourcefile: "eval.ts", loader: "ts" },
    nodePaths: [join(PLATFORM_DIR, "node_modules")],
    plugins: [
      {
        name: "InjectGlobals",
        setup(build) {
          build.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
            let contents = readFileSync(args.path, "utf8");
            const edit = overlay.get(args.path);
            if (edit) {
              contents = edit(contents);
              used.add(args.path);
            }
            if (!args.path.includes(".sst") && options.globals) contents = `${options.globals}\n${contents}`;
            return { contents, loader: LOADERS[extname(args.path)] ?? "js" };
          });
        },
      },
    ],
    external: EXTERNAL,
    define: options.define ?? {},
    inject: options.inject ?? [],
    outfile: options.outfile,
    bundle: true,
    write: true,
    logLevel: "silent",
  });
  const unused = [...overlay.keys()].filter((path) => !used.has(path));
  if (unused.length > 0) throw new Error(`overlay names files the app does not load: ${unused.map((p) => relative(ROOT, p)).join(", ")}`);
}

function childEnv(extra: EvaluateOptions["env"]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const [key, value] of Object.entries(extra ?? {})) if (value === undefined) delete env[key];
  // Vitest's own variables would make @pulumi/pulumi or the app believe they run under a test.
  for (const key of Object.keys(env)) if (key.startsWith("VITEST") || key === "NODE_OPTIONS") delete env[key];
  env.NODE_OPTIONS = "--enable-source-maps --no-deprecation --no-warnings";
  return env;
}

function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.join("") });
    });
  });
}

/** app(), run and normalised as the CLI does. */
async function evaluateApp(stage: string, workDir: string, env: NodeJS.ProcessEnv): Promise<SstApp> {
  const outfile = join(workDir, "app.mjs");
  await bundle({
    outfile,
    banner: "function $config(input) { return input }",
    define: { $input: JSON.stringify({ stage }) },
    code: `import mod from ${JSON.stringify(SST_CONFIG)};\nconsole.log("~j" + JSON.stringify(mod.app({ stage: $input.stage || undefined })));`,
  });
  const { code, output } = await runNode([outfile], env, 60_000);
  const line = output.split("\n").find((l) => l.startsWith("~j"));
  if (code !== 0 || !line) throw new Error(`Evaluating app() of sst.config.ts for stage "${stage}" failed:\n${output}`);
  const app = JSON.parse(line.slice(2)) as Partial<Omit<SstApp, "providers">> & { providers?: Record<string, unknown> };
  if (!app.name) throw new Error("Project name is required");
  if (!app.home) throw new Error(`You must specify a "home" provider in the project configuration file.`);
  const providers: SstApp["providers"] = Object.fromEntries(
    Object.entries(app.providers ?? {}).map(([name, args]) => [
      name,
      args === true ? {} : typeof args === "string" ? { version: args } : (args as Record<string, unknown>),
    ]),
  );
  if (!(app.home in providers) && app.home !== "local") providers[app.home] = {};
  const removal = app.removal ?? "retain";
  if (!["remove", "retain", "retain-all"].includes(removal)) throw new Error("Removal must be one of: remove, retain, retain-all");
  return { name: app.name, stage, removal, protect: app.protect ?? false, home: app.home, providers, version: app.version ?? "" };
}

/**
 * The CLI runs the build command of a site (a `command:local:Command`, which the mocks do not run)
 * and SST then checks that the build output exists. Offline, a site that was never built gets an
 * empty output folder, so that SST's check passes without running the build.
 */
const SITE_BUILD_STAND_IN = `
import { existsSync as __sstEvalExists, mkdirSync as __sstEvalMkdir } from "node:fs";
import { join as __sstEvalJoin } from "node:path";
import { StaticSite as __sstEvalStaticSite } from ${JSON.stringify(join(PLATFORM_DIR, "src/components/aws/static-site.ts"))};
$transform(__sstEvalStaticSite, (args) => {
  if (typeof args.path !== "string" || typeof args.build?.output !== "string") return;
  const output = __sstEvalJoin(${JSON.stringify(ROOT)}, args.path, args.build.output);
  if (!__sstEvalExists(output)) __sstEvalMkdir(output, { recursive: true });
});
`;

export async function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  await ensurePlatform(options.log);
  const dev = options.dev ?? false;
  const env = childEnv(options.env);
  const workDir = mkdtempSync(join(PLATFORM_DIR, ".eval-"));
  try {
    const app = await evaluateApp(options.stage, workDir, env);
    const cli: SstCli = {
      command: "deploy",
      dev,
      // `work` plays .sst: SST writes function zips under it, one folder per evaluation.
      paths: { home: join(workDir, "home"), root: ROOT, work: workDir, platform: PLATFORM_DIR },
      state: { version: {} },
    };
    mkdirSync(cli.paths.home);
    const program = join(workDir, "sst.config.mjs");
    await bundle({
      outfile: program,
      define: { $app: JSON.stringify(app), $cli: JSON.stringify(cli), $dev: String(dev) },
      inject: [join(PLATFORM_DIR, "src/shim/run.js")],
      globals: `import * as aws from "@pulumi/aws";\nimport * as sst from ${JSON.stringify(join(PLATFORM_DIR, "src/components"))};`,
      code: [
        SITE_BUILD_STAND_IN,
        `import { run } from ${JSON.stringify(join(PLATFORM_DIR, "src/auto/run.ts"))};`,
        `import mod from ${JSON.stringify(SST_CONFIG)};`,
        "const result = await run(mod.run);",
        "export default result;",
      ].join("\n"),
      overlay: options.overlay,
    });
    const runner = join(workDir, "runner.mjs");
    await esbuild.build({
      entryPoints: [RUNNER],
      outfile: runner,
      bundle: true,
      format: "esm",
      platform: "node",
      external: ["@pulumi/*"],
      logLevel: "silent",
    });
    const input: RunnerInput = { bundle: program, result: join(workDir, "result.json"), app, cli };
    writeFileSync(join(workDir, "input.json"), JSON.stringify(input));
    const { code, output } = await runNode([runner, join(workDir, "input.json")], env, 180_000);
    let result: Partial<Recording> & { error?: string } = {};
    try {
      result = JSON.parse(readFileSync(input.result, "utf8")) as typeof result;
    } catch {
      // No result file: the runner died before writing it; its output says why.
    }
    if (code !== 0 || result.error !== undefined || !result.resources) {
      throw new Error(`Evaluating sst.config.ts for stage "${options.stage}"${dev ? " (sst dev)" : ""} failed:\n${result.error ?? output}`);
    }
    return { stage: options.stage, dev, app, ...(result as Recording) };
  } finally {
    if (!process.env.TASKS_KEEP_EVALUATION) rmSync(workDir, { recursive: true, force: true });
  }
}
