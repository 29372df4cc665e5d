/**
 * The stacks the scenarios deployed, for the tests. Importing this module evaluates (or waits for)
 * every scenario first, so that the tests can read them synchronously.
 */
import { DeployedStack } from "../../platform/deployed-stack";
import { loadedScenario, loadScenarios } from "./evaluations";
import type { ScenarioName } from "./scenarios";

export { DeployedStack };

await loadScenarios();

const stacks = new Map<ScenarioName, DeployedStack>();

/** The stack a scenario of scenarios.ts deployed; fails the test if its evaluation failed. */
export function stack(name: ScenarioName): DeployedStack {
  const result = loadedScenario(name);
  if (!result.evaluation) throw new Error(`scenario ${name} did not evaluate:\n${result.error}`);
  if (!stacks.has(name)) stacks.set(name, new DeployedStack(result.evaluation));
  return stacks.get(name)!;
}

/** Why a scenario's evaluation failed (it must have). */
export function evaluationError(name: ScenarioName): string {
  const result = loadedScenario(name);
  if (!result.error) throw new Error(`scenario ${name} evaluated, but was expected to fail`);
  return result.error;
}
