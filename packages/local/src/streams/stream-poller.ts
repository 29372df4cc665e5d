/**
 * Nothing invokes a Lambda function from a DynamoDB stream offline, so this does what Lambda's
 * event source mapping does on AWS: it reads every shard of a table's stream (DynamoDB Local has
 * streams) and calls the handler with a real `DynamoDBStreamEvent`, one batch at a time per shard,
 * in order. A batch whose handler throws is retried, as Lambda retries it, before the shard moves
 * on; a shard that closes hands over to its children.
 *
 * It starts at the stream's tip (LATEST), as a new event source mapping does: the fan-out it feeds
 * only says "something changed", and clients resynchronise on every (re)connect, so records
 * written while it was stopped need no replay.
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
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
}

export interface StreamPoller {
  readonly streamArn: string;
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
  async function deliver(records: StreamRecord[]): Promise<void> {
    for (let i = 0; i < records.length && !stopped; i += batchSize) {
      let batch = records.slice(i, i + batchSize).map(toLambdaRecord);
      for (;;) {
        let failedFrom: number;
        try {
          failedFrom = firstFailed(batch, await options.handler({ Records: batch }));
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

  async function iteratorFor(shardId: string, type: "LATEST" | "TRIM_HORIZON"): Promise<string | undefined> {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type }),
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
          iterator = await iteratorFor(shardId, "LATEST");
          continue;
        }
        log(`[streams] reading shard ${shardId} failed; retrying: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(RETRY_DELAY_MS);
        continue;
      }
      const records = result.Records ?? [];
      if (records.length > 0) await deliver(records);
      iterator = result.NextShardIterator;
      if (records.length === 0 && iterator) await sleep(pollIntervalMs);
    }
    // The shard closed: its children continue the stream, each from its first record.
    if (!stopped) await follow(shardId);
  }

  /**
   * Without `parentId` (start-up): a reader at the tip of every open shard (closed ones hold only
   * the past). With it: a reader from the start of each child of that closed shard. Resolves once
   * each new reader holds its iterator, so every record written after that is delivered.
   */
  async function follow(parentId?: string): Promise<void> {
    for (const shard of await shards()) {
      const id = shard.ShardId!;
      if (readers.has(id)) continue;
      const wanted = parentId === undefined ? !shard.SequenceNumberRange?.EndingSequenceNumber : shard.ParentShardId === parentId;
      if (!wanted) continue;
      const first = await iteratorFor(id, parentId === undefined ? "LATEST" : "TRIM_HORIZON");
      const reader = read(id, first).catch((error: unknown) => {
        if (!stopped) log(`[streams] shard ${id} stopped: ${error instanceof Error ? error.message : String(error)}`);
      });
      readers.set(id, reader);
    }
  }

  await follow();

  return {
    streamArn,
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
