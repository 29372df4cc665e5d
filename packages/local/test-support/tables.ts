/** Fresh, uniquely named tables per test file, in the DynamoDB Local of the global setup. */
import { randomUUID } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { allTableNames, ensureTables, localDynamoClient, type TableNames } from "../src/tables.js";
import "./provided-context.js";

export async function createTestTables(): Promise<Required<TableNames> & { endpoint: string; drop(): Promise<void> }> {
  const endpoint = inject("dynamoEndpoint");
  const suffix = randomUUID().slice(0, 8);
  const names = allTableNames({ todos: `Todos-${suffix}`, idempotency: `Idempotency-${suffix}` });
  await ensureTables(endpoint, names);
  return {
    ...names,
    endpoint,
    async drop() {
      const client = localDynamoClient(endpoint);
      try {
        await Promise.all(
          Object.values(names).map((TableName) => client.send(new DeleteTableCommand({ TableName }))),
        );
      } finally {
        client.destroy();
      }
    },
  };
}
