/**
 * The persisted write queue of the local-first SPA (DESIGN.md, "The SPA (v2)"): every write the
 * person makes is stored in IndexedDB first and sent to the API in order, exactly once, whenever
 * the network allows — across reloads, crashes and closed tabs.
 *
 * - Order: one write at a time, oldest first; a write that must wait (offline, 429, 5xx) holds
 *   back the ones after it, so the server sees the person's writes in the order they made them.
 * - Exactly once: a create carries an Idempotency-Key chosen when it was queued and stored with
 *   it, so a create whose answer was lost is answered with the task it made when retried; edits
 *   carry If-Match, and the caller's `onConflict` states what a 409 means (see the README).
 * - Tasks made offline have a local id (`local:…`) until their create is answered; later writes
 *   that name it are rewritten to the server's id in the same IndexedDB transaction that removes
 *   the create, so a crash cannot leave a write pointing at nothing.
 * - A write that can never succeed (a 4xx other than 401, 409 and 429) is set aside — kept, shown,
 *   never retried by itself — and the queue moves on.
 * - An edit's If-Match is the version the person saw. Once an earlier write to the same item is
 *   answered with a new version, the later writes to it made on an older one are moved to that
 *   version in the same transaction: the person's own writes never conflict with each other.
 * - Only one tab sends: the flush runs under a Web Lock (one per queue, so one per user); the other
 *   tabs' flushes return "busy".
 */
import { openDB, type DBSchema, type IDBPDatabase } from "idb";

export type WriteMethod = "POST" | "PATCH" | "DELETE";

export interface QueuedWrite {
  /** Order of the queue: increasing. */
  seq: number;
  method: WriteMethod;
  /** API path; may name a local id (`local:…`) that a queued create introduces. */
  path: string;
  body?: unknown;
  /** Fixed when a create is queued; the same on every attempt. */
  idempotencyKey?: string;
  /** The version the edit was made on. */
  ifMatch?: number;
  /** An edit's fields as the person saw them when making it: what tells another device's change from theirs. */
  base?: Record<string, unknown>;
  /** For a create: the local id it stands for until the server answers with the real one. */
  createsLocalId?: string;
  /** When the person made it (ISO-8601): what the view shows as its time until the server answers. */
  queuedAt?: string;
  state: "pending" | "setAside";
  attempts: number;
  error?: { status: number; code?: string; message?: string };
}

export type NewWrite = Pick<QueuedWrite, "method" | "path" | "body" | "idempotencyKey" | "ifMatch" | "base" | "createsLocalId" | "queuedAt">;

export interface SendResult {
  status: number;
  body: unknown;
  /** From Retry-After, for 429 and 503. */
  retryAfterSeconds?: number;
}

/** Sends one write; throws when the request did not get an answer (offline, DNS, reset). */
export type Sender = (write: QueuedWrite) => Promise<SendResult>;

/**
 * What a 409 VERSION_CONFLICT comes to: done already (`appliedAs`: the item as the server holds it,
 * handled as the write's answer), dropped, or sent again as `retry` says.
 */
export type ConflictDecision = "applied" | "drop" | { appliedAs: unknown } | { retry: Pick<QueuedWrite, "body" | "ifMatch" | "base"> };

export interface FlushHooks {
  /** The server accepted the write (or had already: a retried create, a DELETE of a deleted task). */
  onApplied?: (write: QueuedWrite, result: SendResult) => void | Promise<void>;
  /** A 409 VERSION_CONFLICT: the caller's conflict rule decides. */
  onConflict?: (write: QueuedWrite, result: SendResult) => ConflictDecision | Promise<ConflictDecision>;
  onSetAside?: (write: QueuedWrite) => void;
}

export type FlushOutcome =
  | { kind: "empty" }
  | { kind: "busy" }
  | { kind: "waiting"; reason: "offline" | "unauthorized" | "throttled" | "unavailable"; retryAfterMs: number };

/** The part of the browser's LockManager the queue uses. */
export interface Locks {
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

interface QueueSchema extends DBSchema {
  writes: { key: number; value: QueuedWrite; indexes: { state: string } };
  localIds: { key: string; value: { localId: string; serverId: string } };
}

const LOCAL_ID_PREFIX = "local:";

export function newLocalId(): string {
  return `${LOCAL_ID_PREFIX}${crypto.randomUUID()}`;
}

/** `value` (a path or a JSON body) with every local id in `ids` replaced by its server id. */
function replaceIds<T>(value: T, ids: Map<string, string>): T {
  if (ids.size === 0) return value;
  const json = JSON.stringify(value);
  if (json === undefined || !json.includes(LOCAL_ID_PREFIX)) return value;
  let replaced = json;
  for (const [local, server] of ids) replaced = replaced.replaceAll(local, server);
  return JSON.parse(replaced) as T;
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function errorOf(result: SendResult): NonNullable<QueuedWrite["error"]> {
  const body = result.body as { error?: { code?: string; message?: string } } | undefined;
  return { status: result.status, ...(body?.error?.code ? { code: body.error.code } : {}), ...(body?.error?.message ? { message: body.error.message } : {}) };
}

export class WriteQueue {
  /**
   * The version each item's last acknowledged edit produced, by path. An edit enqueued while that
   * answer was being recorded was made on the view before it (one version behind) and missed the
   * rebase of the queued writes; it is based on this version instead of costing a 409.
   */
  private readonly acknowledgedVersions = new Map<string, number>();

  private constructor(
    private readonly db: IDBPDatabase<QueueSchema>,
    private readonly locks: Locks | undefined,
    private readonly lockName: string,
  ) {}

  /** Opens (or creates) the queue of one user; `locks` defaults to the browser's Web Locks. */
  static async open(name: string, options: { locks?: Locks } = {}): Promise<WriteQueue> {
    const db = await openDB<QueueSchema>(name, 1, {
      upgrade(database) {
        const writes = database.createObjectStore("writes", { keyPath: "seq", autoIncrement: true });
        writes.createIndex("state", "state");
        database.createObjectStore("localIds", { keyPath: "localId" });
      },
    });
    const browserLocks = (globalThis.navigator as { locks?: Locks } | undefined)?.locks;
    return new WriteQueue(db, options.locks ?? browserLocks, `tasks-write-queue:${name}`);
  }

  close(): void {
    this.db.close();
  }

  async enqueue(write: NewWrite): Promise<QueuedWrite> {
    const acknowledged = this.acknowledgedVersions.get(write.path);
    const ifMatch = write.ifMatch !== undefined && acknowledged !== undefined ? Math.max(write.ifMatch, acknowledged) : write.ifMatch;
    const entry = { ...write, ...(ifMatch !== undefined ? { ifMatch } : {}), state: "pending", attempts: 0 } as Omit<QueuedWrite, "seq">;
    const seq = await this.db.add("writes", entry as QueuedWrite);
    return { ...entry, seq };
  }

  /** Writes still to send, in order. */
  async pending(): Promise<QueuedWrite[]> {
    // An index lists records of equal keys in primary-key order: by seq, the queue's order.
    return this.db.getAllFromIndex("writes", "state", "pending");
  }

  /** Writes that can never succeed as they are, kept for the person to see. */
  async setAside(): Promise<QueuedWrite[]> {
    return this.db.getAllFromIndex("writes", "state", "setAside");
  }

  async discard(seq: number): Promise<void> {
    await this.db.delete("writes", seq);
  }

  /** The server id a local id became, once its create was answered. */
  async serverIdOf(localId: string): Promise<string | undefined> {
    return (await this.db.get("localIds", localId))?.serverId;
  }

  /**
   * Sends the pending writes in order until none is left or one has to wait. In one tab at a time:
   * in another, this returns "busy" at once.
   */
  async flush(send: Sender, hooks: FlushHooks = {}): Promise<FlushOutcome> {
    if (!this.locks) return this.flushHoldingLock(send, hooks);
    return this.locks.request(this.lockName, { ifAvailable: true }, async (lock) =>
      lock ? this.flushHoldingLock(send, hooks) : ({ kind: "busy" } as const),
    );
  }

  private async flushHoldingLock(send: Sender, hooks: FlushHooks): Promise<FlushOutcome> {
    for (;;) {
      const write = await this.db.getFromIndex("writes", "state", "pending");
      if (!write) return { kind: "empty" };
      await this.db.put("writes", { ...write, attempts: write.attempts + 1 });
      let result: SendResult;
      try {
        result = await send(write);
      } catch {
        return { kind: "waiting", reason: "offline", retryAfterMs: 0 };
      }
      const { status } = result;
      if (status >= 200 && status < 300) {
        await this.applied(write, result, hooks);
        continue;
      }
      if (status === 404 && write.method === "DELETE") {
        // Already gone (deleted elsewhere, or by an earlier attempt whose answer was lost).
        await this.applied(write, result, hooks);
        continue;
      }
      if (status === 401) return { kind: "waiting", reason: "unauthorized", retryAfterMs: 0 };
      if (isRetryableStatus(status)) {
        return {
          kind: "waiting",
          reason: status === 429 ? "throttled" : "unavailable",
          retryAfterMs: (result.retryAfterSeconds ?? 1) * 1000,
        };
      }
      if (status === 409 && errorOf(result).code === "VERSION_CONFLICT" && hooks.onConflict) {
        const decision = await hooks.onConflict(write, result);
        if (decision === "applied") await this.applied(write, result, hooks);
        else if (decision === "drop") await this.db.delete("writes", write.seq);
        else if ("appliedAs" in decision) await this.applied(write, { status: 200, body: decision.appliedAs }, hooks);
        else await this.db.put("writes", { ...write, ...decision.retry, attempts: write.attempts + 1 });
        continue;
      }
      if (status === 409 && errorOf(result).code === "REQUEST_IN_PROGRESS") {
        // The same create (same Idempotency-Key) is still being processed: its answer will come.
        return { kind: "waiting", reason: "throttled", retryAfterMs: (result.retryAfterSeconds ?? 1) * 1000 };
      }
      const aside: QueuedWrite = { ...write, state: "setAside", attempts: write.attempts + 1, error: errorOf(result) };
      await this.db.put("writes", aside);
      hooks.onSetAside?.(aside);
    }
  }

  /**
   * Removes the write; a create's local id becomes the server's in every later write, and an edit's
   * new version the base of every later edit of the same item made on an older one, atomically.
   */
  private async applied(write: QueuedWrite, result: SendResult, hooks: FlushHooks): Promise<void> {
    const answer = result.body as { id?: unknown; version?: unknown } | undefined;
    const serverId = answer?.id;
    const newVersion = write.method === "PATCH" && write.ifMatch !== undefined && typeof answer?.version === "number" ? answer.version : undefined;
    // Before the transaction: an enqueue from now on is ordered after its rebase pass.
    if (newVersion !== undefined) this.acknowledgedVersions.set(write.path, Math.max(newVersion, this.acknowledgedVersions.get(write.path) ?? 0));
    const transaction = this.db.transaction(["writes", "localIds"], "readwrite");
    const writes = transaction.objectStore("writes");
    await writes.delete(write.seq);
    const ids = write.createsLocalId && typeof serverId === "string" ? new Map([[write.createsLocalId, serverId]]) : undefined;
    if (ids) await transaction.objectStore("localIds").put({ localId: write.createsLocalId!, serverId: serverId as string });
    if (ids || newVersion !== undefined) {
      for (const later of await writes.getAll()) {
        const rewritten = ids ? { ...later, path: replaceIds(later.path, ids), body: replaceIds(later.body, ids) } : { ...later };
        // Only an edit made on the same version as this one was made on top of it alone: one made
        // before this one met another device's change (a retried conflict) must meet it too.
        if (newVersion !== undefined && later.path === write.path && later.ifMatch !== undefined && later.ifMatch === write.ifMatch && later.ifMatch < newVersion) {
          rewritten.ifMatch = newVersion;
        }
        if (rewritten.path !== later.path || rewritten.ifMatch !== later.ifMatch || JSON.stringify(rewritten.body) !== JSON.stringify(later.body)) {
          await writes.put(rewritten);
        }
      }
    }
    await transaction.done;
    await hooks.onApplied?.(write, result);
  }
}
