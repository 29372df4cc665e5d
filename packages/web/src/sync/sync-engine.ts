/**
 * The one door to the data for the views (STYLE.md, "One door to the data"): a store they read —
 * the replica with the pending writes on top (`local-view.ts`) — and one `write(op)`.
 *
 * Data flows one way: UI → `write` → the replica's view at once, and the persisted queue → API;
 * API → live poke → pull `/sync` → replica → UI.
 *
 * - Pulls: on start, on a poke (unless the replica is already at its cursor), when the live socket
 *   (re)connects, when the tab regains focus or the browser comes back online, and after a flush
 *   that sent something. One pull at a time; whatever asks for one meanwhile is served by a single
 *   further pull once it ends (pokes coalesce). 410 CURSOR_EXPIRED starts over from a snapshot.
 * - Flushes: after each write, and on the same occasions; the queue sends in order, in one tab at a
 *   time (Web Locks). A fresh access token is asked for before every request (Amplify refreshes an
 *   expired one); a 401 forces a refresh once and then waits for the next occasion.
 * - The conflict rule (README, "Offline"): field-wise last writer wins. A 409 VERSION_CONFLICT on an
 *   edit reads the item as it is now; if it already holds every field of the edit (our own earlier
 *   attempt whose answer was lost, or the same change made elsewhere) the edit counts as done;
 *   otherwise the edit's fields — only those the person changed — are sent again on the current
 *   version, the other device's changes to other fields are kept, and a notice says so. An edit of
 *   an item deleted elsewhere is set aside with a notice (the delete wins).
 * - A write that can never succeed (a 4xx other than 401, 409, 429) is set aside by the queue and
 *   listed in `status.setAside` until the person discards it; it is never retried by itself.
 */
import { deleteDB } from "idb";
import { ErrorCode, List, SyncPage, Todo, type SyncChange } from "@tasks/core/contract";
import { applyWrite, composeView, parseWritePath, toQueuedWrite, type SyncView, type WriteOp } from "./local-view";
import { startLiveSocket, type LiveSocket, type LiveSocketOptions } from "./live-socket";
import { deleteReplica, Replica, type ServerState } from "./replica";
import { isOfflineAuthError } from "./stored-identity";
import { WriteQueue, type ConflictDecision, type FlushOutcome, type Locks, type QueuedWrite, type SendResult } from "./write-queue";

export interface SyncEngineOptions {
  /** The signed-in user's id (the token's `sub`): which replica and queue to open. */
  userId: string;
  apiUrl: string;
  /** A current Cognito access token; `forceRefresh` after a 401. Rejects when signed out. */
  getAccessToken: (options: { forceRefresh: boolean }) => Promise<string>;
  fetch?: typeof fetch;
  /** The live socket (`wsUrl`); without it, pulls happen on the other occasions only. */
  live?: Pick<LiveSocketOptions, "url" | "WebSocketImpl" | "backoff" | "pingEveryMs">;
  locks?: Locks;
  /** Where `online`, `offline`, `focus` and `visibilitychange` are heard (the window). */
  events?: EventTarget;
  /** Called when no token can be had any more (signed out elsewhere, refresh token revoked). */
  onSignedOut?: () => void;
  now?: () => Date;
  /** Waits after a failed pull or flush, doubling up to the maximum (tests shorten them). */
  retry?: { baseMs: number; maxMs: number };
}

export type Notice =
  | { id: number; kind: "conflict"; item: "todo" | "list"; itemId: string; title: string; fields: string[] }
  | { id: number; kind: "deletedElsewhere"; item: "todo" | "list"; itemId: string; title: string }
  | { id: number; kind: "setAside"; write: QueuedWrite };

export interface SyncStatus {
  /** False from a request that got no answer (or the browser's `offline`) until one that does. */
  online: boolean;
  /** Writes not yet acknowledged by the server. */
  pending: number;
  setAside: readonly QueuedWrite[];
  notices: readonly Notice[];
  /** True once a pull has completed in this session (the view then matches the server's). */
  synced: boolean;
  signedOut: boolean;
}

export interface SyncEngine {
  getView(): SyncView;
  getStatus(): SyncStatus;
  /** Called after every change of the view or the status. */
  subscribe(listener: () => void): () => void;
  /** Applies the write to the view at once and queues it; resolves with the id it shows under. */
  write(op: WriteOp): Promise<{ id?: string }>;
  pull(): Promise<void>;
  flush(): Promise<FlushOutcome | undefined>;
  /** Network activity: pulls, flushes, the live socket. The view is readable before this. */
  start(): void;
  /** Resolves when no pull or flush is running or scheduled to run at once. */
  settled(): Promise<void>;
  discardSetAside(seq: number): Promise<void>;
  dismissNotice(id: number): void;
  /** The server id a local id became, once its create was answered (a view holding one may ask). */
  serverIdOf(localId: string): Promise<string | undefined>;
  /**
   * Asks for a token now (another tab changed the stored session): when none can be had, the
   * engine is signed out as on any failed token request. Offline, nothing changes.
   */
  checkSession(): Promise<void>;
  close(): void;
}

export function writeQueueName(userId: string): string {
  return `tasks-writes:${userId}`;
}

/**
 * Sign-out: removes the user's replica and write queue from this browser (unsent writes too).
 * Close the user's engine first: IndexedDB deletes a database only once every connection to it
 * (in every tab) is closed, and waits until then.
 */
export async function deleteUserData(userId: string): Promise<void> {
  await Promise.all([deleteReplica(userId), deleteDB(writeQueueName(userId))]);
}

class HttpFailure extends Error {
  constructor(readonly status: number, readonly code: string | undefined) {
    super(`HTTP ${status}${code ? ` ${code}` : ""}`);
  }
}

class NoAnswer extends Error {}

const DEFAULT_RETRY = { baseMs: 1_000, maxMs: 30_000 };

/** Opens the user's replica and queue; the view is readable when this resolves, before any request. */
export async function openSyncEngine(options: SyncEngineOptions): Promise<SyncEngine> {
  const [replica, queue] = await Promise.all([
    Replica.open(options.userId),
    WriteQueue.open(writeQueueName(options.userId), options.locks ? { locks: options.locks } : {}),
  ]);
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const apiUrl = options.apiUrl.replace(/\/+$/, "");
  const now = options.now ?? (() => new Date());
  const retry = options.retry ?? DEFAULT_RETRY;
  const listeners = new Set<() => void>();
  let pending = await queue.pending();
  let view = composeView(replica.state, pending);
  const browserOnline = () => (globalThis.navigator as Navigator | undefined)?.onLine ?? true;
  let status: SyncStatus = {
    online: browserOnline(),
    pending: pending.length,
    setAside: await queue.setAside(),
    notices: [],
    synced: false,
    signedOut: false,
  };
  let noticeId = 0;
  let closed = false;
  let live: LiveSocket | undefined;
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(`tasks-sync:${options.userId}`) : undefined;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const setStatus = (patch: Partial<SyncStatus>) => {
    status = { ...status, ...patch };
    notify();
  };
  const addNotice = (notice: DistributiveOmit<Notice, "id">) => setStatus({ notices: [...status.notices, { ...notice, id: ++noticeId } as Notice] });

  /** Reads the queue again and recomputes the view: after every write, answer and pull. */
  async function refresh(): Promise<void> {
    if (closed) return;
    const [nextPending, setAside] = await Promise.all([queue.pending(), queue.setAside()]);
    pending = nextPending;
    view = composeView(replica.state, pending);
    setStatus({ pending: pending.length, setAside });
  }

  async function token(forceRefresh = false): Promise<string> {
    try {
      return await options.getAccessToken({ forceRefresh });
    } catch (error) {
      // Amplify refreshing an expired token with no network fails with a NetworkError and keeps
      // the tokens: that is being offline, not signed out.
      if (isOfflineAuthError(error)) {
        if (status.online) setStatus({ online: false });
        throw new NoAnswer("no answer while refreshing the session");
      }
      setStatus({ signedOut: true });
      options.onSignedOut?.();
      throw error;
    }
  }

  async function request(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}, forceRefresh = false): Promise<SendResult> {
    const headers: Record<string, string> = { Accept: "application/json", Authorization: `Bearer ${await token(forceRefresh)}`, ...init.headers };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(`${apiUrl}${path}`, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
    } catch {
      if (status.online) setStatus({ online: false });
      throw new NoAnswer("no answer");
    }
    // An answer to a request sent before the browser went offline is not being online again.
    if (!status.online && browserOnline()) setStatus({ online: true });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const retryAfter = Number(response.headers.get("retry-after"));
    return { status: response.status, body, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) };
  }

  /** A GET that refreshes the token once on 401; throws HttpFailure for any other non-2xx. */
  async function get(path: string): Promise<SendResult> {
    let result = await request("GET", path);
    if (result.status === 401) result = await request("GET", path, {}, true);
    if (result.status < 200 || result.status >= 300) {
      throw new HttpFailure(result.status, (result.body as { error?: { code?: string } } | undefined)?.error?.code);
    }
    return result;
  }

  // ---- pull ----

  async function pullOnce(): Promise<void> {
    let since = replica.cursor;
    let snapshot = since === undefined;
    let first = true;
    for (;;) {
      let result: SendResult;
      try {
        result = await get(`/sync${since !== undefined ? `?since=${encodeURIComponent(since)}` : ""}`);
      } catch (error) {
        if (error instanceof HttpFailure && error.status === 410 && error.code === ErrorCode.CURSOR_EXPIRED && !snapshot) {
          await replica.forgetCursor();
          since = undefined;
          snapshot = true;
          first = true;
          continue;
        }
        throw error;
      }
      const page = SyncPage.parse(result.body);
      if (snapshot) await replica.applySnapshotPage(page, first);
      else await replica.applyDelta(page);
      first = false;
      since = page.cursor;
      if (!page.hasMore) break;
    }
    await refresh();
    if (!status.synced) setStatus({ synced: true });
  }

  const pulls = singleFlight(pullOnce);
  const flushes = singleFlight(flushOnce);
  const pullRetry = retryTimer(retry, () => void pull());
  const flushRetry = retryTimer(retry, () => void flush());

  async function pull(): Promise<void> {
    if (closed || status.signedOut) return;
    try {
      await pulls.run();
      pullRetry.succeeded();
    } catch {
      if (!closed && !status.signedOut) pullRetry.failed();
    }
  }

  // ---- flush ----

  let lastOutcome: FlushOutcome | undefined;
  let sentSomething = false;

  async function flushOnce(): Promise<void> {
    sentSomething = false;
    let outcome = await flushQueue();
    if (outcome.kind === "waiting" && outcome.reason === "unauthorized") {
      await token(true); // throws when signed out
      outcome = await flushQueue();
    }
    lastOutcome = outcome;
    await refresh();
    if (outcome.kind === "waiting") flushRetry.failed(outcome.retryAfterMs);
    else if (outcome.kind === "busy") flushRetry.failed(retry.baseMs);
    else flushRetry.succeeded();
    if (sentSomething) void pull();
  }

  async function flush(): Promise<FlushOutcome | undefined> {
    if (closed || status.signedOut) return undefined;
    try {
      await flushes.run();
    } catch {
      // Signed out while refreshing: the status says so; nothing is retried.
    }
    return lastOutcome;
  }

  /** A conflict's own reads may find no answer either: the write then waits like any other. */
  async function flushQueue(): Promise<FlushOutcome> {
    try {
      return await queue.flush(send, hooks);
    } catch (error) {
      if (error instanceof NoAnswer || error instanceof HttpFailure) return { kind: "waiting", reason: "offline", retryAfterMs: 0 };
      throw error;
    }
  }

  const send = (write: QueuedWrite): Promise<SendResult> => {
    sentSomething = true;
    const headers: Record<string, string> = {};
    if (write.idempotencyKey) headers["Idempotency-Key"] = write.idempotencyKey;
    if (write.ifMatch !== undefined) headers["If-Match"] = String(write.ifMatch);
    return request(write.method, write.path, { body: write.body, headers });
  };

  const hooks = {
    async onApplied(write: QueuedWrite, result: SendResult) {
      await replica.applyAcknowledged(acknowledgedChanges(write, result, replica.state));
      await refresh();
      channel?.postMessage("changed");
    },
    onConflict: (write: QueuedWrite) => resolveConflict(write),
    onSetAside(write: QueuedWrite) {
      addNotice({ kind: "setAside", write });
      channel?.postMessage("changed");
    },
  };

  /** The conflict rule: field-wise last writer wins (see the module's comment). */
  async function resolveConflict(write: QueuedWrite): Promise<ConflictDecision> {
    const { resource, id } = parseWritePath(write.path);
    const item = resource === "todos" ? "todo" : "list";
    const shown = (item === "todo" ? view.todos : view.lists).find((candidate) => candidate.id === id);
    const label = shown ? ("title" in shown ? shown.title : shown.name) : (id ?? "");
    const current = await currentItem(resource, id!);
    if (!current) {
      addNotice({ kind: "deletedElsewhere", item, itemId: id!, title: label });
      await replica.applyAcknowledged([{ kind: item, id: id!, deleted: true }]);
      return "drop";
    }
    await replica.applyAcknowledged([{ kind: item, id: current.id, deleted: false, item: current } as SyncChange]);
    const patch = (write.body ?? {}) as Record<string, unknown>;
    const fields = Object.keys(patch);
    if (fields.every((field) => sameValue(field, patch[field], current))) return { appliedAs: current };
    // Overwritten: what another device changed (it is no longer what the person saw) and this edit
    // sets otherwise. A write queued before `base` was kept counts every field it sets otherwise.
    const base = write.base;
    const overwritten = fields.filter((field) => !sameValue(field, patch[field], current) && (!base || !(field in base) || !sameValue(field, base[field], current)));
    if (overwritten.length > 0) addNotice({ kind: "conflict", item, itemId: current.id, title: label, fields: overwritten });
    const currentFields = current as unknown as Record<string, unknown>;
    return { retry: { body: write.body, ifMatch: current.version, base: Object.fromEntries(fields.map((field) => [field, currentFields[field] ?? null])) } };
  }

  async function currentItem(resource: "todos" | "lists", id: string): Promise<Todo | List | undefined> {
    try {
      if (resource === "todos") return Todo.parse((await get(`/todos/${encodeURIComponent(id)}`)).body);
      const lists = (await get("/lists")).body as { items: unknown[] };
      const found = lists.items.map((candidate) => List.parse(candidate)).find((list) => list.id === id);
      return found;
    } catch (error) {
      if (error instanceof HttpFailure && error.status === 404) return undefined;
      throw error;
    }
  }

  // ---- writes ----

  async function write(op: WriteOp): Promise<{ id?: string }> {
    const entry = toQueuedWrite(op, view, now());
    const queued = await queue.enqueue(entry);
    await refresh();
    channel?.postMessage("changed");
    void flush();
    return queued.createsLocalId ? { id: queued.createsLocalId } : "id" in op ? { id: op.id } : {};
  }

  // ---- occasions ----

  const onOnline = () => {
    setStatus({ online: true });
    startLive();
    pullRetry.succeeded();
    flushRetry.succeeded();
    void pull();
    void flush();
  };
  const onOffline = () => setStatus({ online: false });
  const onFocus = () => {
    const hidden = (globalThis.document as Document | undefined)?.visibilityState === "hidden";
    if (hidden) return;
    void pull();
    void flush();
  };
  const events = options.events ?? (globalThis as unknown as EventTarget);
  // Another tab queued a write (its view changed) or had one acknowledged (the server changed):
  // read the queue again, and pull what the server now holds.
  const onChannel = () => {
    void refresh();
    void pull();
  };

  function start(): void {
    if (closed) return;
    events.addEventListener?.("online", onOnline);
    events.addEventListener?.("offline", onOffline);
    events.addEventListener?.("focus", onFocus);
    events.addEventListener?.("visibilitychange", onFocus);
    channel?.addEventListener("message", onChannel);
    void pull();
    void flush();
    startLive();
  }

  function startLive(): void {
    if (!options.live || live || closed || status.signedOut) return;
    let tokenOffline = false;
    live = startLiveSocket({
      ...options.live,
      getToken: async ({ forceRefresh }) => {
        try {
          return await token(forceRefresh);
        } catch (error) {
          tokenOffline = error instanceof NoAnswer;
          throw error;
        }
      },
      onPoke: (cursor) => {
        if (cursor !== replica.cursor) void pull();
      },
      onConnected: () => void pull(),
      // The socket gives up when no token can be had; offline, that is not a sign-out: it is
      // started again when the browser comes back online.
      onSignedOut: () => {
        live = undefined;
        if (!tokenOffline) setStatus({ signedOut: true });
      },
    });
  }

  return {
    getView: () => view,
    getStatus: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    write,
    pull,
    flush,
    start,
    async settled() {
      // A pull may start a flush and a flush a pull: wait until neither is running.
      while (pulls.running() || flushes.running()) await Promise.allSettled([pulls.running(), flushes.running()]);
    },
    async discardSetAside(seq) {
      await queue.discard(seq);
      setStatus({ notices: status.notices.filter((notice) => notice.kind !== "setAside" || notice.write.seq !== seq) });
      await refresh();
    },
    dismissNotice(id) {
      setStatus({ notices: status.notices.filter((notice) => notice.id !== id) });
    },
    serverIdOf: (localId) => queue.serverIdOf(localId),
    async checkSession() {
      if (closed || status.signedOut) return;
      await token().catch(() => undefined);
    },
    close() {
      closed = true;
      live?.stop();
      pullRetry.succeeded();
      flushRetry.succeeded();
      events.removeEventListener?.("online", onOnline);
      events.removeEventListener?.("offline", onOffline);
      events.removeEventListener?.("focus", onFocus);
      events.removeEventListener?.("visibilitychange", onFocus);
      channel?.close();
      replica.close();
      queue.close();
      listeners.clear();
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What the server's answer to one of our writes says about its state, for the replica. */
function acknowledgedChanges(write: QueuedWrite, result: SendResult, server: ServerState): SyncChange[] {
  const { resource, id } = parseWritePath(write.path);
  const kind = resource === "todos" ? "todo" : "list";
  if (write.method === "DELETE" && id) return [{ kind, id, deleted: true }];
  if (write.method === "DELETE" || !id && write.method === "PATCH") return collectionEffect(write, server);
  const parsed = (kind === "todo" ? Todo : List).safeParse(result.body);
  if (!parsed.success) return [];
  return [{ kind, id: parsed.data.id, deleted: false, item: parsed.data } as SyncChange];
}

/**
 * A collection write (mark all, clear completed) answers counts, not items: its effect is laid on
 * the replica as the server must have made it, so the view does not fall back to the state before
 * it until the pull that follows brings the items (with their new versions) — no flicker.
 */
function collectionEffect(write: QueuedWrite, server: ServerState): SyncChange[] {
  const state = { todos: new Map(server.todos), lists: new Map(server.lists), pending: new Set<string>() };
  applyWrite(state, write);
  const changes: SyncChange[] = [];
  for (const [id, before] of server.todos) {
    const after = state.todos.get(id);
    if (!after) changes.push({ kind: "todo", id, deleted: true });
    else if (after !== before) changes.push({ kind: "todo", id, deleted: false, item: after });
  }
  return changes;
}

function sameValue(field: string, value: unknown, current: Todo | List): boolean {
  const now = (current as unknown as Record<string, unknown>)[field];
  return typeof value === "string" && (field === "title" || field === "name") ? value.trim() === now : value === now;
}

/** One run at a time; calls meanwhile share one further run after it (so requests coalesce). */
function singleFlight(task: () => Promise<void>) {
  let current: Promise<void> | undefined;
  let again: Promise<void> | undefined;
  return {
    run(): Promise<void> {
      if (!current) {
        current = task().finally(() => (current = undefined));
        return current;
      }
      again ??= current
        .catch(() => undefined)
        .then(() => {
          again = undefined;
          return this.run();
        });
      return again;
    },
    running: (): Promise<void> | undefined => again ?? current,
  };
}

/** A retry after a failure, backing off; cleared by a success or an explicit occasion. */
function retryTimer(retry: { baseMs: number; maxMs: number }, action: () => void) {
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    failed(atLeastMs = 0) {
      clearTimeout(timer);
      const delay = Math.max(atLeastMs, Math.min(retry.maxMs, retry.baseMs * 2 ** failures++));
      timer = setTimeout(action, delay);
    },
    succeeded() {
      failures = 0;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
