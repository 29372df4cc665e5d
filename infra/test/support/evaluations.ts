/**
 * Each scenario of scenarios.ts is evaluated once per test run, by whichever test worker needs it
 * first; the others wait for its file. A worker that finds a scenario taken moves on to the next
 * one, so that two workers evaluate two scenarios at a time.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inject } from "vitest";
import { evaluate, type Evaluation } from "../../platform/evaluate";
import { SCENARIOS, type ScenarioName } from "./scenarios";

export type ScenarioResult = { evaluation: Evaluation; error?: undefined } | { evaluation?: undefined; error: string };

const loaded = new Map<ScenarioName, ScenarioResult>();

async function evaluateInto(name: ScenarioName, file: string): Promise<void> {
  let result: ScenarioResult;
  try {
    result = { evaluation: await evaluate(SCENARIOS[name]) };
  } catch (error) {
    result = { error: (error as Error).message };
  }
  writeFileSync(`${file}.tmp`, JSON.stringify(result));
  renameSync(`${file}.tmp`, file);
}

/** Evaluates (or waits for) every scenario; afterwards `loadedScenario` answers synchronously. */
export async function loadScenarios(names: ScenarioName[] = Object.keys(SCENARIOS) as ScenarioName[]): Promise<void> {
  const dir = inject("evaluationsDir");
  const pending = new Set(names.filter((name) => !loaded.has(name)));
  const deadline = Date.now() + 10 * 60_000;
  while (pending.size > 0) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the evaluation of ${[...pending].join(", ")} in ${dir}`);
    let waiting = true;
    for (const name of pending) {
      const file = join(dir, `${name}.json`);
      if (existsSync(file)) {
        loaded.set(name, JSON.parse(readFileSync(file, "utf8")) as ScenarioResult);
        pending.delete(name);
        waiting = false;
        continue;
      }
      try {
        mkdirSync(`${file}.lock`);
      } catch {
        continue; // another worker is evaluating it
      }
      try {
        await evaluateInto(name, file);
      } finally {
        rmSync(`${file}.lock`, { recursive: true, force: true });
      }
      waiting = false;
    }
    if (waiting) await sleep(250);
  }
}

export function loadedScenario(name: ScenarioName): ScenarioResult {
  const result = loaded.get(name);
  if (!result) throw new Error(`scenario ${name} is not loaded: await loadScenarios() first`);
  return result;
}
