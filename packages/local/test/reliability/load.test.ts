/**
 * Load: 2 000 creates at concurrency 32 through the gateway, spread over a few users (each user's
 * task counter is a hot item every create touches) → every one stored, no 5xx, and paging through
 * the lists returns each task exactly once.
 */
import { Todo } from "@tasks/core/contract";
import { afterAll, beforeAll, expect, it } from "vitest";
import { inPool, startHarness, tally, type Harness, type User } from "./support.js";

const CREATES = 2_000;
const CONCURRENCY = 32;
const USERS = 4;

let h: Harness;
let users: User[];

beforeAll(async () => {
  h = await startHarness();
  users = await Promise.all(Array.from({ length: USERS }, (_, i) => h.signUp(`load-${i}`)));
});

afterAll(() => h?.stop());

it(`${CREATES} creates at concurrency ${CONCURRENCY}: all stored, 0 × 5xx, each listed exactly once`, async () => {
  const started = performance.now();
  const results = await inPool(CREATES, CONCURRENCY, async (i) => {
    const user = users[i % USERS]!;
    const response = await h.call(user.accessToken, "POST", "/todos", { body: { title: `load ${i}`, order: i } });
    return { user: i % USERS, status: response.status, todo: response.status === 201 ? Todo.parse(response.body) : undefined, ms: response.ms };
  });
  const seconds = (performance.now() - started) / 1000;
  const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
  console.info(
    `load: ${CREATES} creates in ${seconds.toFixed(1)} s (${(CREATES / seconds).toFixed(0)}/s), ` +
      `p50 ${latencies[CREATES / 2]!.toFixed(0)} ms, p99 ${latencies[Math.floor(CREATES * 0.99)]!.toFixed(0)} ms`,
  );

  expect(tally(results.map((r) => r.status))).toEqual({ 201: CREATES });

  for (let u = 0; u < USERS; u++) {
    const created = results.filter((r) => r.user === u).map((r) => r.todo!);
    const listed = await h.listAll(users[u]!);
    const listedIds = listed.map((t) => t.id);
    expect(new Set(listedIds).size).toBe(listedIds.length);
    expect(listedIds.length).toBe(created.length);
    expect([...listedIds].sort()).toEqual(created.map((t) => t.id).sort());
    // Oldest first by id, and what is stored is what each 201 answered.
    expect(listedIds).toEqual([...listedIds].sort());
    const byId = new Map(created.map((t) => [t.id, t]));
    for (const task of listed) expect(task).toEqual(byId.get(task.id));
  }
}, 90_000);
