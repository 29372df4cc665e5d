/**
 * Clients of the live socket as the SPA's live-socket.ts behaves, for tests through the offline
 * stack: connect with `?token=`, keep every poke, reconnect when the server closes the socket,
 * and run the resync rule — pull on every (re)connect — through `onConnected`. And what the
 * sync log holds.
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { logEntryIdOfKey, newLogEntryId, SYNC_LOG_RANGE, SyncPoke, syncLogKey, TODOS_TABLE } from "@tasks/core";
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

/** The latest sync-log entry of the user's partition (strongly consistent): what their last write logged. */
export async function latestLogEntry(db: DynamoDBDocumentClient, tableName: string, userId: string): Promise<string | undefined> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "#user = :user AND #sort BETWEEN :from AND :to",
      ExpressionAttributeNames: { "#user": TODOS_TABLE.partitionKey, "#sort": TODOS_TABLE.sortKey },
      ExpressionAttributeValues: { ":user": userId, ":from": SYNC_LOG_RANGE.from, ":to": SYNC_LOG_RANGE.to },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const sortKey = Items?.[0]?.[TODOS_TABLE.sortKey] as string | undefined;
  return sortKey === undefined ? undefined : logEntryIdOfKey(sortKey);
}

/**
 * A sync-log entry alone, as a write transaction puts it in the writer's partition (the real
 * key): for tests of the fan-out that need to know the exact entry a poke names.
 */
export async function putLogEntry(db: DynamoDBDocumentClient, tableName: string, userId: string): Promise<string> {
  const entryId = newLogEntryId();
  await db.send(new PutCommand({ TableName: tableName, Item: { ...syncLogKey(userId, entryId) } }));
  return entryId;
}
