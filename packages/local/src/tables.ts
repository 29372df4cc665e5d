/**
 * Creates the app's tables in DynamoDB Local if they are missing (with the key layouts core
 * defines) and turns on TTL where the deployed stack has it (sync-log entries, idempotency
 * records, live connections, rate-limit counters), and the Todos table's stream (the live
 * fan-out's source) — also on tables made before they had them (an older `.local/`).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from "@aws-sdk/client-dynamodb";
import {
  CONNECTIONS_TABLE,
  connectionsTableDefinition,
  IDEMPOTENCY_TABLE,
  idempotencyTableDefinition,
  RATE_LIMITS_TABLE,
  rateLimitsTableDefinition,
  todosTableWithStream,
  TODOS_TABLE,
} from "@tasks/core";

export interface TableNames {
  todos: string;
  idempotency: string;
  /** Default: the todos table's name + "-Connections". */
  connections?: string;
  /** Default: the todos table's name + "-RateLimits". */
  rateLimits?: string;
}

export const DEFAULT_TABLE_NAMES: Required<TableNames> = {
  todos: "Todos",
  idempotency: "Idempotency",
  connections: "Connections",
  rateLimits: "RateLimits",
};

/** Every table's name: tests name the first two, and the others follow from the todos table's. */
export function allTableNames(names: TableNames): Required<TableNames> {
  return {
    ...names,
    connections: names.connections ?? `${names.todos}-Connections`,
    rateLimits: names.rateLimits ?? `${names.todos}-RateLimits`,
  };
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

async function ensureTable(client: DynamoDBClient, definition: CreateTableCommandInput): Promise<boolean> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: definition.TableName }));
    if (definition.StreamSpecification && !Table?.StreamSpecification?.StreamEnabled) {
      await client.send(new UpdateTableCommand({ TableName: definition.TableName, StreamSpecification: definition.StreamSpecification }));
    }
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(definition));
  return true;
}

export async function ensureTables(endpoint: string, given: TableNames = DEFAULT_TABLE_NAMES): Promise<void> {
  const names = allTableNames(given);
  const client = localDynamoClient(endpoint);
  // Also on a table made before its TTL existed (the Todos table of an older `.local/`).
  const withTtl = async (definition: CreateTableCommandInput, attribute: string) => {
    const created = await ensureTable(client, definition);
    if (!created) {
      const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: definition.TableName }));
      if (TimeToLiveDescription?.TimeToLiveStatus === "ENABLED" || TimeToLiveDescription?.TimeToLiveStatus === "ENABLING") return;
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: definition.TableName,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  };
  try {
    await withTtl(todosTableWithStream(names.todos), TODOS_TABLE.ttlAttribute);
    await withTtl(idempotencyTableDefinition(names.idempotency), IDEMPOTENCY_TABLE.ttlAttribute);
    await withTtl(connectionsTableDefinition(names.connections), CONNECTIONS_TABLE.ttlAttribute);
    await withTtl(rateLimitsTableDefinition(names.rateLimits), RATE_LIMITS_TABLE.ttlAttribute);
  } finally {
    client.destroy();
  }
}
