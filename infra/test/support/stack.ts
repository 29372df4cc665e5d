/**
 * Reading an evaluation the way one reads a deployed stack: resources by type, what a component
 * created, and what each API route is made of. Shared by the tests and `pnpm infra:plan`.
 */
import { inject } from "vitest";
import { DeployedStack } from "../../platform/deployed-stack";
import type { ScenarioName } from "./scenarios";

export { DeployedStack };

/** The stack a scenario of scenarios.ts deployed; fails the test if its evaluation failed. */
export function stack(name: ScenarioName): DeployedStack {
  const result = inject("scenarios")[name];
  if (!result.evaluation) throw new Error(`scenario ${name} did not evaluate:\n${result.error}`);
  return new DeployedStack(result.evaluation);
}

/** Why a scenario's evaluation failed (it must have). */
export function evaluationError(name: ScenarioName): string {
  const result = inject("scenarios")[name];
  if (!result.error) throw new Error(`scenario ${name} evaluated, but was expected to fail`);
  return result.error;
}
