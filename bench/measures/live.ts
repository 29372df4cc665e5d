/**
 * Live pokes through the offline stack, against their floor, side by side (stats.ts):
 * - write → poke on another connection of the same user: a sync-log entry put in the Todos table
 *   → DynamoDB Local's stream → the stack's poller → the real fan-out handler (connections Query,
 *   PostToConnection through the local @connections endpoint) → the gateway → the client's socket.
 *   Floor: the same PutItem into a table of the same definition, a bare reader polling its stream
 *   at the poller's interval, and a bare WebSocket send from a plain `ws` server.
 * - fan-out to 100 connections of one user (write → the last of the 100 pokes). Floor: the same
 *   write and bare stream read, then the 100 PostToConnection calls made straight to the same
 *   @connections endpoint (what API Gateway costs per connection is the same for both), so the
 *   ratio is the fan-out's own overhead.
 */
import { once } from "node:events";
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  ConnectionRepository,
  decodeSyncCursor,
  logEntryIdOfKey,
  newLogEntryId,
  syncLogKey,
  syncPoke,
  todosTableWithStream,
  TODOS_TABLE,
} from "@tasks/core";
import { localDynamoClient } from "@tasks/local/tables";
import { WebSocket, WebSocketServer } from "ws";
import { liveClient, putLogEntry, type LiveClient } from "../../packages/local/test-support/live-clients.js";
import type { Report } from "../report.js";
import { interleaved, percentile } from "../stats.js";

/** The stream poller's default pause between reads of an idle shard (stream-poller.ts). */
const POLL_INTERVAL_MS = 10;

type User = { sub: string; accessToken: string };

export interface LiveBenchTarget {
  wsUrl: string;
  wsManagementEndpoint: string;
  dynamoDbEndpoint: string;
  table: string;
  connectionsTable: string;
  db: DynamoDBDocumentClient;
  /** Four users: a single connection and its floor, 100 connections and their floor. */
  users: [User, User, User, User];
}

/** A table like Todos with a bare reader of its stream handing each inserted sort key to `onKey`. */
async function bareStream(target: LiveBenchTarget, onKey: (sortKey: string) => Promise<void> | void) {
  const endpoint = target.dynamoDbEndpoint;
  const admin = localDynamoClient(endpoint);
  const table = `LiveFloor-${Date.now().toString(36)}`;
  await admin.send(new CreateTableCommand(todosTableWithStream(table)));
  const streamArn = (await admin.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!;
  const streams = new DynamoDBStreamsClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const shardId = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription!.Shards!.at(-1)!.ShardId!;
  let stopped = false;
  let last: string | undefined;
  const iteratorAfterLast = async () =>
    (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(last ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: last } : { ShardIteratorType: "TRIM_HORIZON" }),
        }),
      )
    ).ShardIterator;
  const reader = (async () => {
    let iterator = await iteratorAfterLast();
    while (iterator && !stopped) {
      let result;
      try {
        result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (error) {
        // DynamoDB Local's quirk after idling (stream-poller.ts has the note): take a new iterator.
        if (!(error instanceof TrimmedDataAccessException)) throw error;
        iterator = await iteratorAfterLast();
        continue;
      }
      for (const record of result.Records ?? []) {
        last = record.dynamodb?.SequenceNumber ?? last;
        const key = record.dynamodb?.Keys?.[TODOS_TABLE.sortKey]?.S;
        if (key) await onKey(key);
      }
      iterator = result.NextShardIterator;
      if ((result.Records ?? []).length === 0) await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  })();
  return {
    /** The same write the subject makes: one log entry of `userId`, under `entryId`. */
    async write(userId: string, entryId: string): Promise<void> {
      await target.db.send(new PutCommand({ TableName: table, Item: { ...syncLogKey(userId, entryId) } }));
    },
    async stop() {
      stopped = true;
      await reader.catch(() => undefined);
      streams.destroy();
      await admin.send(new DeleteTableCommand({ TableName: table }));
      admin.destroy();
    },
  };
}

/** `count` live connections of `user`; `once(write)` resolves when all of them got the poke for the entry `write` made. */
async function pokedConnections(target: LiveBenchTarget, user: User, count: number) {
  const waiting = new Map<string, () => void>();
  const arrivals = new Map<string, number>();
  const clients: LiveClient[] = [];
  for (let i = 0; i < count; i++) {
    clients.push(
      await liveClient(target.wsUrl, user.accessToken, {
        onPoke: ({ cursor }) => {
          const entryId = decodeSyncCursor(user.sub, cursor);
          const seen = (arrivals.get(entryId) ?? 0) + 1;
          arrivals.set(entryId, seen);
          if (seen === count) waiting.get(entryId)?.();
        },
      }),
    );
  }
  return {
    async once(write: () => Promise<string>) {
      let resolveDone!: () => void;
      const done = new Promise<void>((resolve) => (resolveDone = resolve));
      const entryId = await write();
      if ((arrivals.get(entryId) ?? 0) === count) resolveDone();
      else waiting.set(entryId, resolveDone);
      await done;
      waiting.delete(entryId);
    },
    stop: () => Promise.all(clients.map((client) => client.close())),
  };
}

/** Resolves `until(id)` when `arrived(id)` is called, even if that happened first. */
function arrivals() {
  const waiting = new Map<string, () => void>();
  const early = new Set<string>();
  return {
    arrived(id: string) {
      const resolve = waiting.get(id);
      if (resolve) resolve();
      else early.add(id);
    },
    until(id: string): Promise<void> {
      if (early.delete(id)) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.set(id, resolve)).finally(() => waiting.delete(id));
    },
  };
}

async function measureOneConnection(report: Report, target: LiveBenchTarget): Promise<void> {
  const [user, floorUser] = target.users;
  const subject = await pokedConnections(target, user, 1);
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const serverSide = once(server, "connection");
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`);
  await once(client, "open");
  const [socket] = (await serverSide) as [WebSocket];
  const floorArrivals = arrivals();
  client.on("message", (data) => floorArrivals.arrived(data.toString()));
  const stream = await bareStream(target, (sortKey) => socket.send(logEntryIdOfKey(sortKey)));
  try {
    const { subject: s, floor: f } = await interleaved(
      () => subject.once(() => putLogEntry(target.db, target.table, user.sub)),
      async () => {
        const entryId = newLogEntryId();
        const arrived = floorArrivals.until(entryId);
        await stream.write(floorUser.sub, entryId);
        await arrived;
      },
      { rounds: 10, perRound: 10, warmup: 10 },
    );
    const [p50, p99, p95] = [50, 99, 95].map((p) => [percentile(s, p), percentile(f, p)] as const);
    report.add("write → poke on another connection / floor (p50)", p50![0] / p50![1], "ratio", 1.5, "lower", `${p50![0].toFixed(1)} ms vs ${p50![1].toFixed(1)} ms`);
    report.add("write → poke on another connection / floor (p99)", p99![0] / p99![1], "ratio", null, "lower", `${p99![0].toFixed(1)} ms vs ${p99![1].toFixed(1)} ms`);
    report.add("write → poke, p95 (DESIGN: within 1 s offline)", p95![0], "ms", 1000, "lower");
  } finally {
    await subject.stop();
    await stream.stop();
    client.close();
    server.close();
  }
}

async function measureHundredConnections(report: Report, target: LiveBenchTarget): Promise<void> {
  const [, , user, floorUser] = target.users;
  const subject = await pokedConnections(target, user, 100);
  const floorClients = await pokedConnections(target, floorUser, 100);
  const repository = new ConnectionRepository(target.db, target.connectionsTable);
  const floorIds = (await repository.live(floorUser.sub)).map((connection) => connection.connectionId);
  const management = new ApiGatewayManagementApiClient({
    endpoint: target.wsManagementEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const stream = await bareStream(target, async (sortKey) => {
    const data = JSON.stringify(syncPoke(floorUser.sub, logEntryIdOfKey(sortKey)));
    await Promise.all(floorIds.map((ConnectionId) => management.send(new PostToConnectionCommand({ ConnectionId, Data: data }))));
  });
  try {
    const { subject: s, floor: f } = await interleaved(
      () => subject.once(() => putLogEntry(target.db, target.table, user.sub)),
      () =>
        floorClients.once(async () => {
          const entryId = newLogEntryId();
          await stream.write(floorUser.sub, entryId);
          return entryId;
        }),
      { rounds: 5, perRound: 6, warmup: 3 },
    );
    const [p50s, p50f] = [percentile(s, 50), percentile(f, 50)];
    report.add("write → poke on all 100 connections of a user / floor (p50)", p50s / p50f, "ratio", 1.5, "lower", `${p50s.toFixed(1)} ms vs ${p50f.toFixed(1)} ms`);
  } finally {
    await subject.stop();
    await floorClients.stop();
    await stream.stop();
    management.destroy();
  }
}

export async function measureLive(report: Report, target: LiveBenchTarget): Promise<void> {
  await measureOneConnection(report, target);
  await measureHundredConnections(report, target);
}
