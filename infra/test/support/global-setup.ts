/**
 * Evaluates every scenario once for the whole infra project and hands the recordings to the
 * tests (vitest's provide/inject). First run on a clean clone also installs the SST platform.
 */
import { availableParallelism } from "node:os";
import type { TestProject } from "vitest/node";
import { evaluate, type Evaluation } from "../../platform/evaluate";
import { ensurePlatform } from "../../platform/ensure-platform";
import { SCENARIOS, type ScenarioName } from "./scenarios";

export type ScenarioResult = { evaluation: Evaluation; error?: undefined } | { evaluation?: undefined; error: string };

declare module "vitest" {
  export interface ProvidedContext {
    scenarios: Record<ScenarioName, ScenarioResult>;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  await ensurePlatform((line) => console.log(`[infra] ${line}`));
  const names = Object.keys(SCENARIOS) as ScenarioName[];
  const results = {} as Record<ScenarioName, ScenarioResult>;
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      try {
        results[name] = { evaluation: await evaluate(SCENARIOS[name]) };
      } catch (error) {
        results[name] = { error: (error as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, worker));
  project.provide("scenarios", results);
}
