/** Benchmark results: a table on the console and bench/results.json, FAIL for a missed budget. */
import { writeFileSync } from "node:fs";

export interface Result {
  name: string;
  value: number;
  unit: string;
  /** Upper or lower bound, per `better`; null for figures reported without a budget. */
  budget: number | null;
  better: "lower" | "higher";
  pass: boolean;
  detail?: string;
}

export class Report {
  readonly results: Result[] = [];

  add(name: string, value: number, unit: string, budget: number | null, better: "lower" | "higher" = "lower", detail?: string) {
    const pass = budget === null || (better === "lower" ? value <= budget : value >= budget);
    const result: Result = { name, value: round(value), unit, budget, better, pass, ...(detail ? { detail } : {}) };
    this.results.push(result);
    const bound = budget === null ? "" : `${better === "lower" ? "≤" : "≥"} ${budget}`;
    const verdict = budget === null ? "info" : pass ? "PASS" : "FAIL";
    console.log(`${verdict.padEnd(4)}  ${name.padEnd(58)} ${String(result.value).padStart(10)} ${unit.padEnd(8)} ${bound}${detail ? `  (${detail})` : ""}`);
  }

  fail(name: string, reason: string) {
    this.results.push({ name, value: NaN, unit: "", budget: null, better: "lower", pass: false, detail: reason });
    console.log(`FAIL  ${name.padEnd(58)} ${reason}`);
  }

  get failed(): Result[] {
    return this.results.filter((r) => !r.pass);
  }

  write(path: string, meta: Record<string, unknown>) {
    writeFileSync(path, JSON.stringify({ ...meta, results: this.results }, null, 2) + "\n");
  }
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value * 10) / 10 : Math.round(value * 1000) / 1000;
}
