/**
 * Installs the SST platform once for the infra project (a no-op when `pnpm typecheck` did it) and
 * gives the test files a folder where each scenario's evaluation is written once per run
 * (evaluations.ts). The evaluations themselves run in the test workers, so that they overlap with
 * the other projects' tests instead of delaying them all.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensurePlatform } from "../../platform/ensure-platform";

declare module "vitest" {
  export interface ProvidedContext {
    evaluationsDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  await ensurePlatform((line) => console.log(`[infra] ${line}`));
  const dir = mkdtempSync(join(tmpdir(), "tasks-infra-evaluations-"));
  project.provide("evaluationsDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
