/**
 * The write queue on a real IndexedDB implementation (fake-indexeddb, in memory). The sender
 * stands in for the API: what is under test is what the queue sends, when, and what it keeps.
 */
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { newLocalId, WriteQueue, type Locks, type QueuedWrite, type SendResult } from "./write-queue";

const opened: WriteQueue[] = [];
afterEach(() => {
  for (const queue of opened.splice(0)) queue.close();
});

async function queue(name = `q-${crypto.randomUUID()}`, locks?: Locks) {
  const q = await WriteQueue.open(name, locks ? { locks } : {});
  opened.push(q);
  return { q, name };
}

/** A sender that records every attempt and answers from a script (default: 200 with an id). */
function sender(script: ((write: QueuedWrite) => SendResult | "offline")[] = []) {
  const sent: QueuedWrite[] = [];
  const send = async (write: QueuedWrite): Promise<SendResult> => {
    sent.push(write);
    const step = script.shift();
    const answer = step ? step(write) : { status: 200, body: { id: `srv-${sent.length}` } };
    if (answer === "offline") throw new TypeError("Failed to fetch");
    return answer;
  };
  return { send, sent };
}

describe("the write queue", () => {
  it("sends writes one at a time in the order they were made", async () => {
    const { q } = await queue();
    await q.enqueue({ method: "POST", path: "/todos", body: { title: "a" }, idempotencyKey: "k-a" });
    await q.enqueue({ method: "PATCH", path: "/todos/T1", body: { completed: true }, ifMatch: 3 });
    await q.enqueue({ method: "DELETE", path: "/todos/T2" });
    const { send, sent } = sender();
    expect(await q.flush(send)).toEqual({ kind: "empty" });
    expect(sent.map((w) => `${w.method} ${w.path}`)).toEqual(["POST /todos", "PATCH /todos/T1", "DELETE /todos/T2"]);
    expect(sent[1]!.ifMatch).toBe(3);
    expect(await q.pending()).toEqual([]);
  });

  it("keeps everything across a reload, and a create keeps its Idempotency-Key on every attempt", async () => {
    const { q, name } = await queue();
    await q.enqueue({ method: "POST", path: "/todos", body: { title: "typed on a train" }, idempotencyKey: "key-1" });
    const first = sender([() => "offline"]);
    expect(await q.flush(first.send)).toMatchObject({ kind: "waiting", reason: "offline" });
    q.close();

    const { q: reopened } = await queue(name); // the tab was closed and opened again
    expect((await reopened.pending()).map((w) => w.body)).toEqual([{ title: "typed on a train" }]);
    const second = sender();
    await reopened.flush(second.send);
    expect([...first.sent, ...second.sent].map((w) => w.idempotencyKey)).toEqual(["key-1", "key-1"]);
  });

  it("waits on 429 and 5xx without losing its place, then carries on in order", async () => {
    const { q } = await queue();
    await q.enqueue({ method: "PATCH", path: "/todos/A", body: { title: "1" } });
    await q.enqueue({ method: "PATCH", path: "/todos/B", body: { title: "2" } });
    const { send, sent } = sender([
      () => ({ status: 503, body: { error: { code: "SERVICE_UNAVAILABLE" } }, retryAfterSeconds: 2 }),
      () => ({ status: 429, body: { message: "Too Many Requests" } }),
    ]);
    expect(await q.flush(send)).toEqual({ kind: "waiting", reason: "unavailable", retryAfterMs: 2000 });
    expect(await q.flush(send)).toEqual({ kind: "waiting", reason: "throttled", retryAfterMs: 1000 });
    expect(await q.flush(send)).toEqual({ kind: "empty" });
    expect(sent.map((w) => w.path)).toEqual(["/todos/A", "/todos/A", "/todos/A", "/todos/B"]);
  });

  it("stops on 401 with the write kept, for the caller to refresh the session", async () => {
    const { q } = await queue();
    await q.enqueue({ method: "DELETE", path: "/todos/A" });
    const { send } = sender([() => ({ status: 401, body: { message: "Unauthorized" } })]);
    expect(await q.flush(send)).toMatchObject({ kind: "waiting", reason: "unauthorized" });
    expect(await q.pending()).toHaveLength(1);
  });

  it("sets aside a write that can never succeed, keeps it visible, and moves on", async () => {
    const { q } = await queue();
    await q.enqueue({ method: "POST", path: "/todos", body: { title: "" }, idempotencyKey: "k" });
    await q.enqueue({ method: "PATCH", path: "/todos/B", body: { title: "fine" } });
    const asideSeen: QueuedWrite[] = [];
    const { send, sent } = sender([() => ({ status: 400, body: { error: { code: "VALIDATION_FAILED", message: "title must not be empty" } } })]);
    expect(await q.flush(send, { onSetAside: (w) => asideSeen.push(w) })).toEqual({ kind: "empty" });
    expect(sent.map((w) => w.path)).toEqual(["/todos", "/todos/B"]);
    const aside = await q.setAside();
    expect(aside).toHaveLength(1);
    expect(aside[0]!.error).toEqual({ status: 400, code: "VALIDATION_FAILED", message: "title must not be empty" });
    expect(asideSeen).toHaveLength(1);
    expect(await q.flush(send)).toEqual({ kind: "empty" }); // never retried by itself
    expect(sent).toHaveLength(2);
  });

  it("counts a DELETE answered 404 as done (already gone)", async () => {
    const { q } = await queue();
    await q.enqueue({ method: "DELETE", path: "/todos/gone" });
    const applied: string[] = [];
    const { send } = sender([() => ({ status: 404, body: { error: { code: "NOT_FOUND" } } })]);
    await q.flush(send, { onApplied: (w) => void applied.push(w.path) });
    expect(applied).toEqual(["/todos/gone"]);
    expect(await q.setAside()).toEqual([]);
  });

  it("rewrites later writes from a task's local id to the server's id once its create is answered", async () => {
    const { q, name } = await queue();
    const list = newLocalId();
    const task = newLocalId();
    await q.enqueue({ method: "POST", path: "/lists", body: { name: "Trip" }, idempotencyKey: "k1", createsLocalId: list });
    await q.enqueue({ method: "POST", path: "/todos", body: { title: "Pack", listId: list }, idempotencyKey: "k2", createsLocalId: task });
    await q.enqueue({ method: "PATCH", path: `/todos/${task}`, body: { notes: "passport" } });

    const first = sender([() => ({ status: 201, body: { id: "LIST1" } }), () => "offline"]);
    await q.flush(first.send);
    q.close();
    const { q: reopened } = await queue(name);
    expect(await reopened.serverIdOf(list)).toBe("LIST1");
    const second = sender([() => ({ status: 201, body: { id: "TASK1" } }), () => ({ status: 200, body: {} })]);
    await reopened.flush(second.send);
    expect(second.sent.map((w) => [w.path, w.body])).toEqual([
      ["/todos", { title: "Pack", listId: "LIST1" }],
      ["/todos/TASK1", { notes: "passport" }],
    ]);
  });

  it("leaves a version conflict to the caller's rule: applied, dropped or retried with what it returns", async () => {
    const { q } = await queue();
    await q.enqueue({ method: "PATCH", path: "/todos/A", body: { title: "mine" }, ifMatch: 1 });
    await q.enqueue({ method: "PATCH", path: "/todos/B", body: { title: "mine" }, ifMatch: 1 });
    const conflict = () => ({ status: 409, body: { error: { code: "VERSION_CONFLICT", currentVersion: 2 } } });
    const ok = () => ({ status: 200, body: { id: "A" } });
    const { send, sent } = sender([conflict, ok, conflict]);
    await q.flush(send, {
      onConflict: (write) => (write.path === "/todos/A" ? { retry: { body: write.body, ifMatch: 2 } } : "drop"),
    });
    // The retried write keeps its place: it goes again before the writes made after it.
    expect(sent.map((w) => `${w.path}@${w.ifMatch}`)).toEqual(["/todos/A@1", "/todos/A@2", "/todos/B@1"]);
    expect(await q.pending()).toEqual([]);
  });

  it("flushes in one tab at a time: another tab's flush is busy and sends nothing", async () => {
    const held = new Set<string>();
    const locks: Locks = {
      async request(name, options, callback) {
        // What makes the browser's lock manager answer "busy" instead of queueing the flush.
        expect(options).toEqual({ ifAvailable: true });
        if (held.has(name)) return callback(null);
        held.add(name);
        try {
          return await callback({ name });
        } finally {
          held.delete(name);
        }
      },
    };
    const name = `shared-${crypto.randomUUID()}`;
    const { q: tabA } = await queue(name, locks);
    const { q: tabB } = await queue(name, locks);
    await tabA.enqueue({ method: "DELETE", path: "/todos/A" });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = sender();
    const flushA = tabA.flush(async (write) => {
      await gate;
      return slow.send(write);
    });
    const other = sender();
    expect(await tabB.flush(other.send)).toEqual({ kind: "busy" });
    release();
    expect(await flushA).toEqual({ kind: "empty" });
    expect(other.sent).toEqual([]);
    expect(slow.sent).toHaveLength(1);
  });
});

describe("the write queue's versions", () => {
  it("moves later edits of an item to the version an earlier one was answered with", async () => {
    const { q } = await queue();
    await q.enqueue({ method: "PATCH", path: "/todos/A", body: { title: "b" }, ifMatch: 1 });
    await q.enqueue({ method: "PATCH", path: "/todos/B", body: { title: "x" }, ifMatch: 1 });
    await q.enqueue({ method: "PATCH", path: "/todos/A", body: { title: "c" }, ifMatch: 1 });
    const { send, sent } = sender([() => ({ status: 200, body: { id: "A", version: 2 } }), () => "offline"]);
    await q.flush(send);
    expect((await q.pending()).map((w) => `${w.path}@${w.ifMatch}`)).toEqual(["/todos/B@1", "/todos/A@2"]);
    expect(sent.map((w) => `${w.path}@${w.ifMatch}`)).toEqual(["/todos/A@1", "/todos/B@1"]);
  });

  it("leaves an edit queued behind a retried conflict on its own version: it meets the other device's change itself", async () => {
    const { q } = await queue();
    await q.enqueue({ method: "PATCH", path: "/todos/A", body: { notes: "mine" }, ifMatch: 1 });
    await q.enqueue({ method: "PATCH", path: "/todos/A", body: { title: "mine" }, ifMatch: 1 });
    // Another device made version 2: the first edit conflicts, is retried on 2 and answered with 3.
    const conflict = (currentVersion: number) => () => ({ status: 409, body: { error: { code: "VERSION_CONFLICT", currentVersion } } });
    const ok = (version: number) => () => ({ status: 200, body: { id: "A", version } });
    const { send, sent } = sender([conflict(2), ok(3), conflict(3), ok(4)]);
    const conflicts: string[] = [];
    await q.flush(send, {
      onConflict: (write, result) => {
        conflicts.push(JSON.stringify(write.body));
        const currentVersion = (result.body as { error: { currentVersion: number } }).error.currentVersion;
        return { retry: { body: write.body, ifMatch: currentVersion } };
      },
    });
    expect(sent.map((w) => `${w.path}@${w.ifMatch}`)).toEqual(["/todos/A@1", "/todos/A@2", "/todos/A@1", "/todos/A@3"]);
    expect(conflicts).toEqual([JSON.stringify({ notes: "mine" }), JSON.stringify({ title: "mine" })]);
    expect(await q.pending()).toEqual([]);
  });

  it("waits on 409 REQUEST_IN_PROGRESS (its create is still being processed) instead of setting it aside", async () => {
    const { q } = await queue();
    await q.enqueue({ method: "POST", path: "/todos", body: { title: "a" }, idempotencyKey: "k" });
    const { send } = sender([() => ({ status: 409, body: { error: { code: "REQUEST_IN_PROGRESS" } }, retryAfterSeconds: 1 })]);
    expect(await q.flush(send)).toEqual({ kind: "waiting", reason: "throttled", retryAfterMs: 1000 });
    expect(await q.setAside()).toEqual([]);
    expect(await q.flush(send)).toEqual({ kind: "empty" });
  });
});
