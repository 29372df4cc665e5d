/**
 * Creates the app's tables in DynamoDB Local if they are missing (with the key layout core
 * defines) and turns on TTL for idempotency records, as the deployed stack does.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from "@aws-sdk/client-dynamodb";
import { IDEMPOTENCY_TABLE, idempotencyTableDefinition, todosTableDefinition } from "@tasks/core";

export interface TableNames {
  todos: string;
  idempotency: string;
}

export const DEFAULT_TABLE_NAMES: TableNames = { todos: "Todos", idempotency: "Idempotency" };

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

async function ensureTable(client: DynamoDBClient, definition: CreateTableCommandInput): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: definition.TableName }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(definition));
  return true;
}

export async function ensureTables(endpoint: string, names: TableNames = DEFAULT_TABLE_NAMES): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    await ensureTable(client, todosTableDefinition(names.todos));
    if (await ensureTable(client, idempotencyTableDefinition(names.idempotency))) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: names.idempotency,
          TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE.ttlAttribute, Enabled: true },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}
