/**
 * Unconditional puts and deletes of many items, 25 per BatchWriteItem (DynamoDB's maximum), a few
 * batches at a time, with the items DynamoDB leaves unprocessed (throttled) sent again after a
 * backoff. For writes that need no condition and no change log: closing an account (its items go,
 * whatever they are), the rate limit's closed markers.
 */
import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export type WriteRequest = NonNullable<BatchWriteCommandInput["RequestItems"]>[string][number];

export const BATCH_WRITE_ITEMS = 25;
const PARALLEL_BATCHES = 4;
const ATTEMPTS = 8;

export async function batchWriteAll(db: DynamoDBDocumentClient, tableName: string, requests: WriteRequest[]): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_WRITE_ITEMS) batches.push(requests.slice(i, i + BATCH_WRITE_ITEMS));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) await writeBatch(db, tableName, batches[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, worker));
}

async function writeBatch(db: DynamoDBDocumentClient, tableName: string, batch: WriteRequest[]): Promise<void> {
  let pending = batch;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = UnprocessedItems?.[tableName] ?? [];
    if (pending.length === 0) return;
    if (attempt >= ATTEMPTS) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after ${attempt} attempts`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
  }
}
