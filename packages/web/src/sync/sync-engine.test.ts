/**
 * The sync engine on a real IndexedDB implementation (fake-indexeddb), against an in-memory API
 * that follows the contract (test-support/sync-api-server.ts): these tests check the client's
 * behaviour against the contract, not the server.
 */
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { createSyncApiServer, tokenOf, type SyncApiServer } from "../test-support/sync-api-server";
import { deleteUserData, openSyncEngine, type SyncEngine, type SyncEngineOptions } from "./sync-engine";

const engines: SyncEngine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
});

/** No timer-driven retries: each test says when the network comes back (the "online" event). */
const NO_TIMED_RETRY = { baseMs: 3_600_000, maxMs: 3_600_000 };

async function open(server: SyncApiServer, user: string, overrides: Partial<SyncEngineOptions> = {}) {
  const events = new EventTarget();
  const engine = await openSyncEngine({
    userId: user,
    apiUrl: "http://api.test",
    getAccessToken: async () => tokenOf(user),
    fetch: server.fetch,
    events,
    retry: NO_TIMED_RETRY,
    ...overrides,
  });
  engines.push(engine);
  return { engine, events };
}

async function started(server: SyncApiServer, user: string, overrides: Partial<SyncEngineOptions> = {}) {
  const opened = await open(server, user, overrides);
  opened.engine.start();
  await opened.engine.settled();
  return opened;
}

function reopen(engine: SyncEngine) {
  engine.close();
  engines.splice(engines.indexOf(engine), 1);
}

const titles = (engine: SyncEngine) => engine.getView().todos.map((todo) => todo.title);
const user = () => `user-${crypto.randomUUID()}`;

describe("the replica", () => {
  it("shows a returning user's tasks before any network answer", async () => {
    const server = createSyncApiServer();
    const me = user();
    server.device(me).create({ title: "from last week", order: 1 });
    const { engine } = await started(server, me);
    expect(titles(engine)).toEqual(["from last week"]);
    reopen(engine);

    const never = () => new Promise<Response>(() => undefined);
    const { engine: again } = await open(server, me, { fetch: never });
    again.start();
    expect(titles(again)).toEqual(["from last week"]);
    expect(again.getStatus().synced).toBe(false);
  });

  it("takes a snapshot over several pages, then only the changes after its cursor", async () => {
    const server = createSyncApiServer();
    const me = user();
    const device = server.device(me);
    for (let i = 0; i < 10; i++) device.create({ title: `t${i}`, order: i });
    const { engine } = await started(server, me);
    expect(titles(engine)).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
    const snapshotPulls = server.requests.filter((r) => r.path.startsWith("/sync")).length;
    expect(snapshotPulls).toBeGreaterThan(2); // 11 items (the default list too) in pages of 4

    device.patch(server.todos(me)[3]!.id, { title: "renamed" });
    device.delete(server.todos(me)[0]!.id);
    await engine.pull();
    expect(titles(engine)).toEqual(["t1", "t2", "renamed", "t4", "t5", "t6", "t7", "t8", "t9"]);
    const later = server.requests.filter((r) => r.path.startsWith("/sync")).slice(snapshotPulls);
    expect(later.every((r) => r.path.includes("since="))).toBe(true);
  });

  it("starts over from a snapshot when the cursor has expired (410), replacing what it had", async () => {
    const server = createSyncApiServer();
    const me = user();
    const device = server.device(me);
    const kept = device.create({ title: "kept", order: 1 });
    const gone = device.create({ title: "gone", order: 2 });
    const { engine } = await started(server, me);
    server.expireCursors();
    device.delete(gone.id);
    device.patch(kept.id, { completed: true });
    await engine.pull();
    expect(engine.getView().todos.map((t) => [t.title, t.completed])).toEqual([["kept", true]]);
    const syncs = server.requests.filter((r) => r.path.startsWith("/sync")).map((r) => r.path.includes("since="));
    expect(syncs.slice(-2)).toEqual([true, false]); // the refused delta, then a fresh snapshot
  });

  it("keeps each user's data apart, and sign-out removes it from the browser", async () => {
    const server = createSyncApiServer();
    const [alice, bob] = [user(), user()];
    server.device(alice).create({ title: "alice's", order: 1 });
    const { engine: a } = await started(server, alice);
    expect(titles(a)).toEqual(["alice's"]);
    reopen(a);
    const { engine: b } = await open(server, bob, { fetch: () => new Promise(() => undefined) });
    expect(b.getView().todos).toEqual([]);
    reopen(b);

    await deleteUserData(alice);
    const { engine: aAgain } = await open(server, alice, { fetch: () => new Promise(() => undefined) });
    expect(aAgain.getView().todos).toEqual([]);
  });
});

describe("two tabs", () => {
  it("show each other's writes, and only one of them sends (Web Locks)", async () => {
    const server = createSyncApiServer();
    const me = user();
    const held = new Set<string>();
    // The lock manager both tabs share, as the browser's: a request for a held lock gets null.
    const locks = {
      async request<T>(name: string, _options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T> {
        if (held.has(name)) return callback(null);
        held.add(name);
        try {
          return await callback({ name });
        } finally {
          held.delete(name);
        }
      },
    };
    const { engine: tabA } = await started(server, me, { locks });
    const { engine: tabB } = await started(server, me, { locks });
    server.state.online = false;
    await tabA.write({ type: "createTodo", input: { title: "typed in tab A" } });
    await expect.poll(() => titles(tabB)).toEqual(["typed in tab A"]);
    expect(tabB.getStatus().pending).toBe(1);

    server.state.online = true;
    await Promise.all([tabA.flush(), tabB.flush()]);
    await Promise.all([tabA.settled(), tabB.settled()]);
    expect(server.todos(me).map((t) => t.title)).toEqual(["typed in tab A"]);
    expect(server.requests.filter((r) => r.method === "POST" && r.headers["idempotency-key"]).length).toBeLessThanOrEqual(2); // the offline try, one answered send
    // Tab B hears of the answer tab A got, and shows the task as the server holds it.
    await expect.poll(() => tabB.getStatus().pending).toBe(0);
    await expect.poll(() => tabB.getView().todos).toEqual(server.todos(me));
  });
});

describe("pulls", () => {
  it("runs one pull at a time and serves every request made meanwhile with one more", async () => {
    const server = createSyncApiServer();
    const me = user();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let syncRequests = 0;
    const gated: typeof fetch = async (input, init) => {
      if (String(input).includes("/sync")) {
        syncRequests++;
        if (syncRequests === 1) await gate;
      }
      return server.fetch(input, init);
    };
    const { engine } = await open(server, me, { fetch: gated });
    const first = engine.pull();
    const pokes = [engine.pull(), engine.pull(), engine.pull(), engine.pull()];
    server.device(me).create({ title: "made during the first pull", order: 1 });
    release();
    await Promise.all([first, ...pokes]);
    // The snapshot (one page) and one pull for the four that came while it ran.
    expect(syncRequests).toBe(2);
    expect(titles(engine)).toEqual(["made during the first pull"]);
  });
});

describe("occasions to pull", () => {
  /** A stand-in for the browser's WebSocket: the test opens it and sends what the server would. */
  class FakeSocket {
    static OPEN = 1;
    static last: FakeSocket | undefined;
    readyState = 0;
    onopen: (() => void) | null = null;
    onmessage: ((message: { data: unknown }) => void) | null = null;
    onclose: (() => void) | null = null;
    onerror: (() => void) | null = null;
    constructor(readonly url: string) {
      FakeSocket.last = this;
    }
    open() {
      this.readyState = 1;
      this.onopen?.();
    }
    receive(data: string) {
      this.onmessage?.({ data });
    }
    send() {}
    close() {
      this.readyState = 3;
    }
  }

  it("pulls when the live socket connects and on a poke, but not on a poke of the cursor it is at", async () => {
    const server = createSyncApiServer();
    const me = user();
    let lastCursor = "";
    const recording: typeof fetch = async (input, init) => {
      const response = await server.fetch(input, init);
      if (String(input).includes("/sync")) lastCursor = ((await response.clone().json()) as { cursor: string }).cursor;
      return response;
    };
    const { engine } = await started(server, me, { fetch: recording, live: { url: "ws://live.test", WebSocketImpl: FakeSocket as unknown as typeof WebSocket } });
    const syncs = () => server.requests.filter((r) => r.path.startsWith("/sync")).length;
    await expect.poll(() => FakeSocket.last?.url).toBe(`ws://live.test?token=${tokenOf(me)}`);
    const afterStart = syncs();
    FakeSocket.last!.open();
    await engine.settled();
    expect(syncs()).toBe(afterStart + 1);

    server.device(me).create({ title: "from the phone" });
    FakeSocket.last!.receive(JSON.stringify({ type: "sync", cursor: "anything-new" }));
    await engine.settled();
    expect(titles(engine)).toEqual(["from the phone"]);

    const before = syncs();
    // A poke of the cursor the replica is at (its own write's echo, a duplicate): nothing to pull.
    FakeSocket.last!.receive(JSON.stringify({ type: "sync", cursor: lastCursor }));
    FakeSocket.last!.receive("not a poke");
    await engine.settled();
    expect(syncs()).toBe(before);
  });

  it("keeps the live socket through an offline start with an expired session: it opens once the network is back", async () => {
    const server = createSyncApiServer();
    const me = user();
    let network = false;
    FakeSocket.last = undefined;
    const { engine, events } = await started(server, me, {
      live: { url: "ws://live.test", WebSocketImpl: FakeSocket as unknown as typeof WebSocket },
      getAccessToken: async () => {
        if (network) return tokenOf(me);
        throw Object.assign(new Error("A network error has occurred."), { name: "NetworkError" });
      },
    });
    await expect.poll(() => engine.getStatus().online).toBe(false);
    expect(engine.getStatus().signedOut).toBe(false);
    expect(FakeSocket.last).toBeUndefined();
    network = true;
    events.dispatchEvent(new Event("online"));
    await expect.poll(() => FakeSocket.last?.url).toBe(`ws://live.test?token=${tokenOf(me)}`);
    expect(engine.getStatus().signedOut).toBe(false);
  });

  it("pulls and flushes when the tab regains focus and when the browser comes back online", async () => {
    const server = createSyncApiServer();
    const me = user();
    const { engine, events } = await started(server, me);
    server.device(me).create({ title: "while away" });
    events.dispatchEvent(new Event("focus"));
    await engine.settled();
    expect(titles(engine)).toEqual(["while away"]);

    server.state.online = false;
    await engine.write({ type: "createTodo", input: { title: "queued" } });
    await engine.settled();
    server.state.online = true;
    events.dispatchEvent(new Event("online"));
    await engine.settled();
    expect(server.todos(me).map((t) => t.title)).toEqual(["while away", "queued"]);
  });
});

describe("writes", () => {
  it("shows a write at once, keeps it through a pull that brings other changes, and sends it once online", async () => {
    const server = createSyncApiServer();
    const me = user();
    const task = server.device(me).create({ title: "shared", order: 1 });
    let writesFail = false;
    const writesOffline: typeof fetch = async (input, init) => {
      if (writesFail && init?.method && init.method !== "GET") throw new TypeError("Failed to fetch");
      return server.fetch(input, init);
    };
    const { engine, events } = await started(server, me, { fetch: writesOffline });
    writesFail = true;
    await engine.write({ type: "updateTodo", id: task.id, patch: { completed: true } });
    await engine.write({ type: "createTodo", input: { title: "new", order: 2 } });
    await engine.settled();
    expect(engine.getStatus()).toMatchObject({ pending: 2 });

    server.device(me).patch(task.id, { title: "renamed elsewhere" });
    await engine.pull();
    // The pull's rename shows, and so do both pending writes on top of it.
    expect(engine.getView().todos.map((t) => [t.title, t.completed])).toEqual([["renamed elsewhere", true], ["new", false]]);
    expect(engine.getView().pending.size).toBe(2);

    writesFail = false;
    events.dispatchEvent(new Event("online"));
    await engine.settled();
    expect(engine.getStatus()).toMatchObject({ pending: 0, online: true });
    expect(server.todos(me).map((t) => [t.title, t.completed])).toEqual([["renamed elsewhere", true], ["new", false]]);
    expect(engine.getView().todos).toEqual(server.todos(me));
  });

  it("keeps a queued create's Idempotency-Key across a reload and an answer lost: one task", async () => {
    const server = createSyncApiServer();
    const me = user();
    const { engine } = await started(server, me);
    server.state.online = false;
    const { id } = await engine.write({ type: "createTodo", input: { title: "typed on a train" } });
    expect(id).toMatch(/^local:/);
    await engine.settled();
    reopen(engine);

    server.state.online = true;
    server.loseAnswers(1, "POST");
    const { engine: again, events } = await started(server, me);
    events.dispatchEvent(new Event("online"));
    await again.settled();
    const creates = server.requests.filter((r) => r.method === "POST");
    expect(creates.length).toBeGreaterThanOrEqual(3); // offline, lost answer, the answered retry
    expect(new Set(creates.map((r) => r["headers"]["idempotency-key"])).size).toBe(1);
    expect(server.todos(me).map((t) => t.title)).toEqual(["typed on a train"]);
    expect(titles(again)).toEqual(["typed on a train"]);
    expect(await again.serverIdOf(id!)).toBe(server.todos(me)[0]!.id);
  });

  it("edits a task made offline before its create is answered: the edit follows it to its server id", async () => {
    const server = createSyncApiServer();
    const me = user();
    const { engine } = await started(server, me);
    server.state.online = false;
    const { id } = await engine.write({ type: "createTodo", input: { title: "draft" } });
    await engine.write({ type: "updateTodo", id: id!, patch: { title: "final", completed: true } });
    expect(engine.getView().todos.map((t) => [t.id, t.title, t.completed])).toEqual([[id, "final", true]]);
    server.state.online = true;
    await engine.flush();
    await engine.settled();
    expect(server.todos(me).map((t) => [t.title, t.completed, t.version])).toEqual([["final", true, 2]]);
    expect(engine.getView().todos).toEqual(server.todos(me));
    expect(engine.getStatus()).toMatchObject({ pending: 0, setAside: [], notices: [] });
  });

  it("shows lists, moves, mark all and clear completed at once offline, and the server ends the same", async () => {
    const server = createSyncApiServer();
    const me = user();
    const phone = server.device(me);
    phone.create({ title: "old", order: 1 });
    const { engine } = await started(server, me);
    server.state.online = false;
    const { id: trip } = await engine.write({ type: "createList", input: { name: "Trip", position: 5 } });
    await engine.write({ type: "updateList", id: trip!, patch: { name: "Summer trip" } });
    const { id: pack } = await engine.write({ type: "createTodo", input: { title: "Pack", listId: trip!, order: 2 } });
    const { id: tickets } = await engine.write({ type: "createTodo", input: { title: "Tickets", order: 3 } });
    await engine.write({ type: "updateTodo", id: tickets!, patch: { listId: trip! } });
    await engine.write({ type: "completeAll", completed: true, listId: trip! });
    const shown = () => engine.getView().todos.map((t) => [t.title, t.listId === trip ? "trip" : t.listId, t.completed]);
    expect(engine.getView().lists.map((l) => l.name)).toEqual(["Tasks", "Summer trip"]);
    expect(shown()).toEqual([["old", "default", false], ["Pack", "trip", true], ["Tickets", "trip", true]]);
    await engine.write({ type: "clearCompleted" });
    expect(shown()).toEqual([["old", "default", false]]);
    expect(engine.getView().pending.has(pack!)).toBe(true);

    server.state.online = true;
    await engine.flush();
    await engine.settled();
    expect(server.lists(me).map((l) => l.name)).toEqual(["Tasks", "Summer trip"]);
    expect(server.todos(me).map((t) => t.title)).toEqual(["old"]);
    expect(engine.getView().todos).toEqual(server.todos(me));
    expect(engine.getView().lists).toEqual([...server.lists(me)].sort((a, b) => a.position - b.position));

    // Deleting the list takes its tasks with it, here at once and on the server.
    const serverTrip = (await engine.serverIdOf(trip!))!;
    phone.create({ title: "in the trip", listId: serverTrip, order: 9 });
    await engine.pull();
    server.state.online = false;
    await engine.write({ type: "deleteList", id: serverTrip });
    expect(engine.getView().lists.map((l) => l.name)).toEqual(["Tasks"]);
    expect(engine.getView().todos.map((t) => t.title)).toEqual(["old"]);
    server.state.online = true;
    await engine.flush();
    await engine.settled();
    expect(server.lists(me).map((l) => l.name)).toEqual(["Tasks"]);
    expect(engine.getView().todos).toEqual(server.todos(me));
  });

  it("sends edits with If-Match; the person's own edits in a row do not conflict with each other", async () => {
    const server = createSyncApiServer();
    const me = user();
    const task = server.device(me).create({ title: "a", order: 1 });
    const { engine } = await started(server, me);
    server.state.online = false;
    await engine.write({ type: "updateTodo", id: task.id, patch: { title: "b" } });
    await engine.write({ type: "updateTodo", id: task.id, patch: { title: "c" } });
    await engine.write({ type: "updateTodo", id: task.id, patch: { completed: true } });
    server.state.online = true;
    await engine.flush();
    await engine.settled();
    const patches = server.requests.filter((r) => r.method === "PATCH" && !("" + r.path).includes("?"));
    const answered = patches.slice(-3);
    expect(answered.map((r) => r.headers["if-match"])).toEqual(["1", "2", "3"]);
    expect(server.todos(me)[0]).toMatchObject({ title: "c", completed: true, version: 4 });
    expect(engine.getStatus().notices).toEqual([]);
  });

  it("conflict rule: field-wise last writer wins — the edit's fields are sent again on the new version, with a notice", async () => {
    const server = createSyncApiServer();
    const me = user();
    const task = server.device(me).create({ title: "Buy milk", order: 1 });
    const { engine } = await started(server, me);
    server.state.online = false;
    await engine.write({ type: "updateTodo", id: task.id, patch: { title: "Buy oat milk" } });
    // Meanwhile, on the phone: the same task renamed and completed.
    server.device(me).patch(task.id, { title: "Buy soy milk", completed: true });
    server.state.online = true;
    await engine.flush();
    await engine.settled();
    expect(server.todos(me)[0]).toMatchObject({ title: "Buy oat milk", completed: true, version: 3 });
    expect(engine.getView().todos).toEqual(server.todos(me));
    expect(engine.getStatus().notices).toEqual([
      expect.objectContaining({ kind: "conflict", item: "todo", itemId: task.id, fields: ["title"] }),
    ]);
  });

  it("conflict rule: names only the fields another device changed, and an edit queued behind a conflict meets it too", async () => {
    const server = createSyncApiServer();
    const me = user();
    const task = server.device(me).create({ title: "Plan the trip", order: 1 });
    const { engine } = await started(server, me);
    server.state.online = false;
    // Offline: the notes first (nobody else touches them), then the title (the laptop renames it).
    await engine.write({ type: "updateTodo", id: task.id, patch: { notes: "Book the night train" } });
    await engine.write({ type: "updateTodo", id: task.id, patch: { title: "Plan the trip to Porto" } });
    server.device(me).patch(task.id, { title: "Plan the trip to Lisbon", due: "2027-03-01" });
    server.state.online = true;
    await engine.flush();
    await engine.settled();
    expect(server.todos(me)[0]).toMatchObject({ title: "Plan the trip to Porto", notes: "Book the night train", due: "2027-03-01", version: 4 });
    expect(engine.getView().todos).toEqual(server.todos(me));
    // One notice, of the title: the notes were this device's change alone.
    expect(engine.getStatus().notices).toEqual([expect.objectContaining({ kind: "conflict", itemId: task.id, fields: ["title"] })]);
  });

  it("counts an edit whose answer was lost as done when it is retried (no second write, no notice)", async () => {
    const server = createSyncApiServer();
    const me = user();
    const task = server.device(me).create({ title: "x", order: 1 });
    const { engine } = await started(server, me);
    server.loseAnswers(1);
    await engine.write({ type: "updateTodo", id: task.id, patch: { completed: true } });
    await engine.settled();
    await engine.flush();
    await engine.settled();
    expect(server.todos(me)[0]).toMatchObject({ completed: true, version: 2 });
    expect(engine.getStatus()).toMatchObject({ pending: 0, notices: [] });
  });

  it("sets aside a write that can never succeed, reports it, and sends the ones after it", async () => {
    const server = createSyncApiServer();
    const me = user();
    const { engine } = await started(server, me);
    const { id: listId } = await engine.write({ type: "createList", input: { name: "Trip" } });
    await engine.settled();
    const serverListId = (await engine.serverIdOf(listId!))!;
    server.state.online = false;
    await engine.write({ type: "createTodo", input: { title: "Pack", listId: serverListId } });
    await engine.write({ type: "createTodo", input: { title: "Call mum" } });
    server.device(me).deleteList(serverListId);
    server.state.online = true;
    await engine.flush();
    await engine.settled();
    expect(server.todos(me).map((t) => t.title)).toEqual(["Call mum"]);
    const { setAside, notices, pending } = engine.getStatus();
    expect(pending).toBe(0);
    expect(setAside).toEqual([expect.objectContaining({ method: "POST", body: expect.objectContaining({ title: "Pack" }), error: expect.objectContaining({ status: 404 }) })]);
    expect(notices).toEqual([expect.objectContaining({ kind: "setAside" })]);
    const before = server.requests.length;
    await engine.flush();
    expect(server.requests.slice(before).filter((r) => r.method === "POST")).toEqual([]);
    await engine.discardSetAside(setAside[0]!.seq);
    expect(engine.getStatus()).toMatchObject({ setAside: [], notices: [] });
  });

  it("refreshes the access token once on a 401 and sends with the new one", async () => {
    const server = createSyncApiServer();
    const me = user();
    const asked: boolean[] = [];
    let refreshed = false;
    const { engine } = await started(server, me, {
      // Like Amplify: the token is the stale one until a refresh is forced, the new one after.
      getAccessToken: async ({ forceRefresh }) => {
        asked.push(forceRefresh);
        if (forceRefresh) refreshed = true;
        return refreshed ? tokenOf(me) : "expired-token";
      },
    });
    await engine.write({ type: "createTodo", input: { title: "after refresh" } });
    await engine.settled();
    expect(server.todos(me).map((t) => t.title)).toEqual(["after refresh"]);
    expect(asked).toContain(true);
  });

  it("is offline, not signed out, when the session cannot be refreshed for want of a network", async () => {
    const server = createSyncApiServer();
    const me = user();
    let network = false;
    const { engine, events } = await started(server, me, {
      getAccessToken: async () => {
        if (network) return tokenOf(me);
        throw Object.assign(new Error("A network error has occurred."), { name: "NetworkError" });
      },
    });
    await engine.write({ type: "createTodo", input: { title: "offline start" } });
    await engine.settled();
    expect(engine.getStatus()).toMatchObject({ signedOut: false, online: false, pending: 1 });
    network = true;
    events.dispatchEvent(new Event("online"));
    await engine.settled();
    expect(server.todos(me).map((t) => t.title)).toEqual(["offline start"]);
    expect(engine.getStatus()).toMatchObject({ signedOut: false, online: true, pending: 0 });
  });

  it("is signed out when no token can be had, and stops sending", async () => {
    const server = createSyncApiServer();
    const me = user();
    let signedOut = 0;
    const { engine } = await started(server, me, {
      getAccessToken: async () => {
        throw new Error("No current user");
      },
      onSignedOut: () => void signedOut++,
    });
    expect(engine.getStatus().signedOut).toBe(true);
    expect(signedOut).toBeGreaterThan(0);
    expect(server.requests).toEqual([]);
  });
});
