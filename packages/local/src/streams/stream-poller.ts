/**
 * Nothing invokes a Lambda function from a DynamoDB stream offline, so this does what Lambda's
 * event source mapping does on AWS: it reads every shard of a table's stream (DynamoDB Local has
 * streams) and calls the handler with a real `DynamoDBStreamEvent`, one batch at a time per shard,
 * in order. A batch whose handler throws is retried, as Lambda retries it, before the shard moves
 * on; a shard that closes hands over to its children.
 *
 * A new poller starts at the stream's tip (LATEST), as a new event source mapping does: the
 * fan-out it feeds only says "something changed", and clients resynchronise on every (re)connect,
 * so after `pnpm start` records written before need no replay. Given the checkpoints of a stopped
 * poller (`resumeFrom`), it goes on after the last record that poller delivered, as a mapping does
 * after its function was down: records written in between are delivered, not lost.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  TrimmedDataAccessException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { localDynamoClient } from "../tables.js";

export interface StreamPollerOptions {
  /** DynamoDB Local's endpoint. */
  endpoint: string;
  tableName: string;
  region: string;
  /** May answer a partial batch response (`batchItemFailures`), as with ReportBatchItemFailures. */
  handler: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Pause between reads of an idle shard (Lambda polls each shard about 4 times a second; faster here). */
  pollIntervalMs?: number;
  /** Largest batch handed to the handler (Lambda's BatchSize). */
  batchSize?: number;
  /** Where failures go. */
  log?: (line: string) => void;
  /** A stopped poller's `checkpoints()`: continue after them instead of at the tip. */
  resumeFrom?: ReadonlyMap<string, string>;
}

export interface StreamPoller {
  readonly streamArn: string;
  /** Per shard, the sequence number of the last record the handler took. */
  checkpoints(): ReadonlyMap<string, string>;
  stop(): Promise<void>;
}

const RETRY_DELAY_MS = 200;

/** The index of the first record to retry from, or -1 when the batch succeeded. */
function firstFailed(batch: DynamoDBRecord[], result: unknown): number {
  const failures = (result as Partial<DynamoDBBatchResponse> | undefined)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return -1;
  const indexes = failures.map(({ itemIdentifier }) => batch.findIndex((record) => record.dynamodb?.SequenceNumber === itemIdentifier));
  return indexes.includes(-1) ? 0 : Math.min(...indexes);
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const pollIntervalMs = options.pollIntervalMs ?? 10;
  const batchSize = options.batchSize ?? 100;
  const log = options.log ?? ((line: string) => console.error(line));
  const dynamo = localDynamoClient(options.endpoint);
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName })).finally(() => dynamo.destroy());
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn || !Table?.StreamSpecification?.StreamEnabled) {
    streams.destroy();
    throw new Error(`Table ${options.tableName} has no stream: create it with a StreamSpecification`);
  }

  let stopped = false;
  const readers = new Map<string, Promise<void>>();
  const checkpoints = new Map(options.resumeFrom ?? []);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  async function shards(): Promise<Shard[]> {
    const all: Shard[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ...(exclusiveStartShardId ? { ExclusiveStartShardId: exclusiveStartShardId } : {}) }),
      );
      all.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    return all;
  }

  function toLambdaRecord(record: StreamRecord): DynamoDBRecord {
    const data = record.dynamodb!;
    return {
      eventID: record.eventID!,
      eventName: record.eventName as DynamoDBRecord["eventName"],
      eventVersion: record.eventVersion ?? "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: options.region,
      eventSourceARN: streamArn,
      dynamodb: {
        ApproximateCreationDateTime: (data.ApproximateCreationDateTime ?? new Date()).getTime() / 1000,
        Keys: data.Keys as never,
        ...(data.NewImage ? { NewImage: data.NewImage as never } : {}),
        ...(data.OldImage ? { OldImage: data.OldImage as never } : {}),
        SequenceNumber: data.SequenceNumber!,
        SizeBytes: data.SizeBytes!,
        StreamViewType: data.StreamViewType as NonNullable<DynamoDBRecord["dynamodb"]>["StreamViewType"],
      },
    };
  }

  /**
   * Hands `records` to the handler in batches, retrying a batch until it succeeds or the poller
   * stops. With ReportBatchItemFailures (the handler answers `batchItemFailures`), Lambda
   * checkpoints before the lowest failed sequence number and retries from that record on; an
   * identifier that names no record of the batch fails the whole batch.
   */
  async function deliver(shardId: string, records: StreamRecord[]): Promise<void> {
    for (let i = 0; i < records.length && !stopped; i += batchSize) {
      let batch = records.slice(i, i + batchSize).map(toLambdaRecord);
      for (;;) {
        let failedFrom: number;
        try {
          failedFrom = firstFailed(batch, await options.handler({ Records: batch }));
          const taken = failedFrom === -1 ? batch.length : failedFrom;
          if (taken > 0) checkpoints.set(shardId, batch[taken - 1]!.dynamodb!.SequenceNumber!);
          if (failedFrom === -1) break;
          log(`[streams] the handler reported ${batch.length - failedFrom} of ${batch.length} records failed; retrying from the first`);
        } catch (error) {
          failedFrom = 0;
          log(`[streams] the handler failed on a batch of ${batch.length}; retrying: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (stopped) return;
        batch = batch.slice(failedFrom);
        await sleep(RETRY_DELAY_MS);
      }
    }
  }

  async function iteratorFor(shardId: string, type: "LATEST" | "TRIM_HORIZON" | "AFTER_SEQUENCE_NUMBER"): Promise<string | undefined> {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(type === "AFTER_SEQUENCE_NUMBER" ? { SequenceNumber: checkpoints.get(shardId) } : {}),
      }),
    );
    return ShardIterator;
  }

  async function read(shardId: string, first: string | undefined): Promise<void> {
    let iterator = first;
    while (iterator && !stopped) {
      let result;
      try {
        result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (error) {
        if (stopped) return;
        if (error instanceof ExpiredIteratorException) {
          iterator = await iteratorFor(shardId, checkpoints.has(shardId) ? "AFTER_SEQUENCE_NUMBER" : "LATEST");
          continue;
        }
        // DynamoDB Local 3.3 answers this for a LATEST iterator held on a shard that got its first
        // records after some seconds of idling (seen here, 20 s idle); nothing was delivered from
        // the shard yet, so reading from its oldest record loses nothing (it may deliver records
        // from before start: a few extra pokes, no missing one).
        if (error instanceof TrimmedDataAccessException) {
          iterator = await iteratorFor(shardId, checkpoints.has(shardId) ? "AFTER_SEQUENCE_NUMBER" : "TRIM_HORIZON");
          continue;
        }
        log(`[streams] reading shard ${shardId} failed; retrying: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(RETRY_DELAY_MS);
        continue;
      }
      const records = result.Records ?? [];
      if (records.length > 0) await deliver(shardId, records);
      iterator = result.NextShardIterator;
      if (records.length === 0 && iterator) await sleep(pollIntervalMs);
    }
    // The shard closed: its children continue the stream, each from its first record.
    if (!stopped) await follow(shardId);
  }

  /**
   * Without `parentId` (start-up): a reader after the checkpoint of every shard that has one, and
   * at the tip of every other open shard (closed ones hold only the past; the children of a
   * checkpointed shard are followed when it ends). With it: a reader from the start of each child
   * of that closed shard. Resolves once each new reader holds its iterator, so every record
   * written after that is delivered.
   */
  async function follow(parentId?: string): Promise<void> {
    for (const shard of await shards()) {
      const id = shard.ShardId!;
      if (readers.has(id)) continue;
      let type: "LATEST" | "TRIM_HORIZON" | "AFTER_SEQUENCE_NUMBER";
      if (parentId !== undefined) {
        if (shard.ParentShardId !== parentId) continue;
        type = "TRIM_HORIZON";
      } else if (checkpoints.has(id)) {
        type = "AFTER_SEQUENCE_NUMBER";
      } else {
        const open = !shard.SequenceNumberRange?.EndingSequenceNumber;
        if (!open || (shard.ParentShardId && checkpoints.has(shard.ParentShardId))) continue;
        type = "LATEST";
      }
      const first = await iteratorFor(id, type);
      const reader = read(id, first).catch((error: unknown) => {
        if (!stopped) log(`[streams] shard ${id} stopped: ${error instanceof Error ? error.message : String(error)}`);
      });
      readers.set(id, reader);
    }
  }

  await follow();

  return {
    streamArn,
    checkpoints: () => new Map(checkpoints),
    async stop() {
      stopped = true;
      // Readers finish their current read or sleep (at most one poll interval or retry delay).
      for (;;) {
        const running = [...readers.values()];
        await Promise.all(running);
        if (readers.size === running.length) break;
      }
      streams.destroy();
    },
  };
}
