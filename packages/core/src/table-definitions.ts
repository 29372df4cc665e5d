/**
 * CreateTable inputs derived from the key layout, for the offline stack and tests. The deployed
 * tables are declared by infra/storage.ts from the same constants.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { IDEMPOTENCY_TABLE, TODOS_TABLE } from "./keys.js";

export function todosTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: TODOS_TABLE.partitionKey, AttributeType: "S" },
      { AttributeName: TODOS_TABLE.sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: TODOS_TABLE.partitionKey, KeyType: "HASH" },
      { AttributeName: TODOS_TABLE.sortKey, KeyType: "RANGE" },
    ],
  };
}

export function idempotencyTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, AttributeType: "S" }],
    KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, KeyType: "HASH" }],
  };
}

/**
 * The Todos table's stream, for the live fan-out. Keys only: the fan-out reads nothing but the
 * keys of inserted sync-log entries, so no task data flows through the stream or the function,
 * and records stay small (more per batch). A subscriber that one day needs images would need
 * the stream re-created (a new ARN): a deploy-time change, not a data migration.
 */
export const TODOS_STREAM_VIEW_TYPE = "KEYS_ONLY";

export function todosTableWithStream(tableName: string): CreateTableCommandInput {
  return { ...todosTableDefinition(tableName), StreamSpecification: { StreamEnabled: true, StreamViewType: TODOS_STREAM_VIEW_TYPE } };
}
