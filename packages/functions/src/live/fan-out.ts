/**
 * The Todos table's stream subscriber: after a change to a user's data, poke every live
 * connection of that user with `{"type":"sync","cursor"}` (DESIGN.md, "Live (push)").
 *
 * Which users, and which cursor, is core's (`pokesForInsertedItems`: inserted sync-log entries,
 * the latest per user). Connections come from the connections table, without the ones whose
 * token has expired; a connection API Gateway no longer knows (410 Gone) loses its row.
 *
 * Failures are per user: the record that carries a user's latest entry is reported as a batch
 * item failure (ReportBatchItemFailures, Powertools batch) when any post to that user's
 * connections failed, so Lambda retries from that record — never the users before it in the
 * batch. A retry may poke a connection twice; a poke only makes the client pull, so that is
 * harmless.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { GoneException, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { pokesForInsertedItems, TODOS_TABLE, type SyncPoke } from "@tasks/core";
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { logger, metrics, MetricUnit } from "../observability.js";
import { POKE_FAILURE_METRIC, POKE_SENT_METRIC } from "../telemetry-names.js";
import { connectionRepository, managementClient } from "./live-runtime.js";

const processor = new BatchProcessor(EventType.DynamoDBStreams);

function insertedKeys(records: DynamoDBRecord[]) {
  return records.flatMap((record) => {
    const keys = record.dynamodb?.Keys;
    const userId = keys?.[TODOS_TABLE.partitionKey]?.S;
    const sortKey = keys?.[TODOS_TABLE.sortKey]?.S;
    return record.eventName === "INSERT" && userId && sortKey ? [{ userId, sortKey, source: record }] : [];
  });
}

/** Posts `poke` to each live connection of the user; throws if any post failed for another reason than Gone. */
async function pokeUser(userId: string, poke: SyncPoke): Promise<void> {
  const repository = connectionRepository();
  const data = JSON.stringify(poke);
  const connections = await repository.live(userId);
  const results = await Promise.allSettled(
    connections.map(async ({ connectionId }) => {
      try {
        await managementClient().send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
      } catch (error) {
        if (!(error instanceof GoneException)) throw error;
        await repository.remove(userId, connectionId);
        metrics.addMetric("ConnectionGone", MetricUnit.Count, 1);
      }
    }),
  );
  const failed = results.filter((result) => result.status === "rejected");
  metrics.addMetric(POKE_SENT_METRIC, MetricUnit.Count, connections.length - failed.length);
  if (failed.length > 0) {
    metrics.addMetric(POKE_FAILURE_METRIC, MetricUnit.Count, failed.length);
    throw new AggregateError(failed.map((result) => result.reason), `${failed.length} of ${connections.length} pokes failed`);
  }
}

export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  logger.addContext(context);
  metrics.captureColdStartMetric();
  const pokes = new Map(pokesForInsertedItems(insertedKeys(event.Records)).map((poke) => [poke.source, poke]));
  try {
    const response = await processPartialResponse(
      event,
      async (record: DynamoDBRecord) => {
        const pending = pokes.get(record);
        if (pending) await pokeUser(pending.userId, pending.poke);
      },
      processor,
      { context, throwOnFullBatchFailure: false },
    );
    logger.info("fan-out", { records: event.Records.length, users: pokes.size, failedUsers: response.batchItemFailures.length });
    return response;
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}
