/**
 * Strongly consistent BatchGetItem of any number of keys of one table: 100 keys per request,
 * unprocessed keys sent again. Items come back keyed by their sort key (one user's partition).
 */
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TODOS_TABLE, type TodoKey } from "./keys.js";

const BATCH_GET_MAX_KEYS = 100;

export interface Projection {
  expression: string;
  names: Record<string, string>;
}

export async function batchGetBySortKey<T extends TodoKey>(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly TodoKey[],
  projection?: Projection,
): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX_KEYS) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + BATCH_GET_MAX_KEYS).map((key) => ({ ...key }));
    while (pending && pending.length > 0) {
      const result: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ConsistentRead: true,
              ...(projection ? { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names } : {}),
            },
          },
        }),
      );
      for (const item of result.Responses?.[tableName] ?? []) found.set(item[TODOS_TABLE.sortKey] as string, item as T);
      pending = result.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}
