/**
 * Clients of the live socket as the SPA's live-socket.ts behaves, for tests through the offline
 * stack: connect with `?token=`, keep every poke, reconnect when the server closes the socket,
 * and run the resync rule — pull on every (re)connect — through `onConnected`. And the writes a
 * change makes to the sync log.
 */
import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { newLogEntryId, SyncPoke, syncLogKey } from "@tasks/core";
import { WebSocket } from "ws";

export interface LiveClient {
  /** Every poke received, in order, across reconnects. */
  readonly pokes: SyncPoke[];
  /** How many times the socket opened (1 + reconnects). */
  readonly connections: number;
  readonly open: boolean;
  /** Closes for good (no reconnect); resolves once closed. */
  close(): Promise<void>;
}

export interface LiveClientOptions {
  /** Called on every open, before pokes of that connection are counted (the SPA pulls /sync here). */
  onConnected?: () => Promise<void>;
  /** Pause before reconnecting (the SPA backs off with jitter; tests need no more). */
  reconnectDelayMs?: number;
  /** Called on each poke as it arrives (the bench times them). */
  onPoke?: (poke: SyncPoke) => void;
}

/** Resolves with an open client; rejects with the handshake's status if refused. */
export function liveClient(wsUrl: string, token: string, options: LiveClientOptions = {}): Promise<LiveClient> {
  const pokes: SyncPoke[] = [];
  let connections = 0;
  let socket: WebSocket | undefined;
  let closing = false;
  let closed: Promise<void> = Promise.resolve();
  const client: LiveClient = {
    pokes,
    get connections() {
      return connections;
    },
    get open() {
      return socket?.readyState === WebSocket.OPEN;
    },
    async close() {
      closing = true;
      socket?.close(1000);
      await closed;
    },
  };

  return new Promise((resolve, reject) => {
    const connect = () => {
      const current = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`);
      socket = current;
      closed = new Promise((done) => current.once("close", () => done()));
      current.on("message", (data) => {
        const poke = SyncPoke.parse(JSON.parse(data.toString()));
        pokes.push(poke);
        options.onPoke?.(poke);
      });
      current.once("open", () => {
        connections += 1;
        void (options.onConnected?.() ?? Promise.resolve()).then(() => resolve(client), reject);
      });
      current.once("unexpected-response", (_, response) => {
        if (connections === 0) reject(new Error(`refused with ${response.statusCode}`));
        current.terminate(); // ends in "close", which reconnects
      });
      current.on("error", () => undefined);
      current.once("close", () => {
        if (!closing && connections > 0) setTimeout(connect, options.reconnectDelayMs ?? 100);
      });
    };
    connect();
  });
}

/**
 * What every write transaction also puts in the writer's partition: a sync-log entry. (Written
 * here by the tests until the repositories write it themselves; the key is the real one.)
 */
export async function putLogEntry(db: DynamoDBDocumentClient, tableName: string, userId: string): Promise<string> {
  const entryId = newLogEntryId();
  await db.send(new PutCommand({ TableName: tableName, Item: { ...syncLogKey(userId, entryId) } }));
  return entryId;
}
