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
