/**
 * Concurrent writers through the gateway (throttle lifted, so the app is measured): If-Match
 * gives exactly one winner, writes without it lose no version and never bring a deleted task
 * back, and a keyed create stores one task however many copies race.
 */
import { randomUUID } from "node:crypto";
import { Todo } from "@tasks/core/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, expectSafeError, startHarness, tally, type Harness, type User } from "./support.js";

let h: Harness;
let user: User;

beforeAll(async () => {
  h = await startHarness();
  user = await h.signUp("racer");
});

afterAll(() => h?.stop());

const patch = (id: string, body: unknown, ifMatch?: number) =>
  h.call(user.accessToken, "PATCH", `/todos/${id}`, { body, ...(ifMatch !== undefined ? { headers: { "if-match": String(ifMatch) } } : {}) });

describe("optimistic concurrency (If-Match)", () => {
  it("50 concurrent PATCHes with the same If-Match: exactly one 200, 49 × 409 VERSION_CONFLICT, version + 1", async () => {
    const task = await h.create(user, { title: "contended" });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => patch(task.id, { title: `writer ${i}` }, task.version)),
    );
    expect(tally(responses.map((r) => r.status))).toEqual({ 200: 1, 409: 49 });
    const winner = Todo.parse(responses.find((r) => r.status === 200)!.body);
    for (const loser of responses.filter((r) => r.status === 409)) {
      expect(errorCode(loser)).toBe("VERSION_CONFLICT");
      expect(loser.body).toHaveProperty("error.currentVersion", task.version + 1);
      expectSafeError(loser, [user.accessToken]);
    }
    const stored = Todo.parse((await h.call(user.accessToken, "GET", `/todos/${task.id}`)).body);
    expect(stored).toEqual(winner);
    expect(stored.version).toBe(task.version + 1);
  });

  it("50 concurrent DELETEs with the same If-Match: exactly one 204, the rest 404, no 5xx", async () => {
    const task = await h.create(user, { title: "deleted once" });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        h.call(user.accessToken, "DELETE", `/todos/${task.id}`, { headers: { "if-match": String(task.version) } }),
      ),
    );
    expect(tally(responses.map((r) => r.status))).toEqual({ 204: 1, 404: 49 });
    expect((await h.call(user.accessToken, "GET", `/todos/${task.id}`)).status).toBe(404);
  });
});

describe("without If-Match", () => {
  it("20 concurrent PATCHes all apply: versions 2..21 handed out once each, none lost", async () => {
    const task = await h.create(user, { title: "last write wins", order: 0 });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => patch(task.id, { order: i + 1 })));
    expect(tally(responses.map((r) => r.status))).toEqual({ 200: 20 });
    const versions = responses.map((r) => Todo.parse(r.body).version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const stored = Todo.parse((await h.call(user.accessToken, "GET", `/todos/${task.id}`)).body);
    expect(stored.version).toBe(21);
    // The stored state is the one the last applied write returned.
    const last = responses.map((r) => Todo.parse(r.body)).find((t) => t.version === 21)!;
    expect(stored.order).toBe(last.order);
  });

  it("PATCHes racing a DELETE never bring the task back", async () => {
    for (let round = 0; round < 5; round++) {
      const task = await h.create(user, { title: `doomed ${round}` });
      const patches = Array.from({ length: 10 }, (_, i) => patch(task.id, { title: `revived ${i}` }));
      const removal = h.call(user.accessToken, "DELETE", `/todos/${task.id}`);
      const [removed, ...patched] = await Promise.all([removal, ...patches]);
      expect(removed!.status).toBe(204);
      for (const response of patched) expect([200, 404]).toContain(response.status);
      expect((await h.call(user.accessToken, "GET", `/todos/${task.id}`)).status).toBe(404);
      expect((await h.listAll(user)).map((t) => t.id)).not.toContain(task.id);
    }
  });
});

describe("idempotent create under a race", () => {
  it("10 concurrent POSTs with one Idempotency-Key store one task; every 201 names it, the rest are 409 REQUEST_IN_PROGRESS", async () => {
    const before = (await h.listAll(user)).length;
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.call(user.accessToken, "POST", "/todos", { body: { title: "exactly once" }, headers: { "idempotency-key": key } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409), JSON.stringify(tally(statuses))).toBe(true);
    expect(statuses).toContain(201);
    for (const conflict of responses.filter((r) => r.status === 409)) {
      expect(errorCode(conflict)).toBe("REQUEST_IN_PROGRESS");
      expect(conflict.headers.get("retry-after")).toMatch(/^\d+$/);
    }
    const ids = new Set(responses.filter((r) => r.status === 201).map((r) => Todo.parse(r.body).id));
    expect(ids.size).toBe(1);
    // A retry after the race replays the same task.
    const retry = await h.call(user.accessToken, "POST", "/todos", { body: { title: "exactly once" }, headers: { "idempotency-key": key } });
    expect(retry.status).toBe(201);
    expect(Todo.parse(retry.body).id).toBe([...ids][0]);
    const after = await h.listAll(user);
    expect(after.length).toBe(before + 1);
    expect(after.filter((t) => t.title === "exactly once").map((t) => t.id)).toEqual([...ids]);
  });
});

describe("the offline Cognito under concurrent sign-ups", () => {
  it("8 users signing up at once each get their confirmation code and a working token", async () => {
    const signedUp = await Promise.all(Array.from({ length: 8 }, (_, i) => h.signUp(`crowd-${i}`)));
    expect(new Set(signedUp.map((u) => u.sub)).size).toBe(8);
    for (const member of signedUp) expect((await h.call(member.accessToken, "GET", "/todos")).status).toBe(200);
  });
});
