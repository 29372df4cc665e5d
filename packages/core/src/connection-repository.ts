/**
 * Open WebSocket connections of each user, for the live-sync fan-out: keyed by user (one Query
 * finds a user's connections) and connection id. A row lives as long as the access token that
 * opened the connection: `expiresAt` is the token's expiry, DynamoDB's TTL removes the row some
 * time after it, and readers ignore a row past it, so pushes stop when the token expires even
 * before TTL has run.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { CONNECTIONS_TABLE } from "./keys.js";

export function connectionsTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: CONNECTIONS_TABLE.partitionKey, AttributeType: "S" },
      { AttributeName: CONNECTIONS_TABLE.sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: CONNECTIONS_TABLE.partitionKey, KeyType: "HASH" },
      { AttributeName: CONNECTIONS_TABLE.sortKey, KeyType: "RANGE" },
    ],
  };
}

export interface Connection {
  userId: string;
  connectionId: string;
  /** Epoch seconds: the expiry of the access token that opened the connection. */
  expiresAt: number;
  connectedAt: string;
}

export class ConnectionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async add(connection: Connection): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: connection }));
  }

  async remove(userId: string, connectionId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { userId, connectionId } }));
  }

  /** The user's connections whose token has not expired (TTL may keep expired rows for a while). */
  async live(userId: string): Promise<Connection[]> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const connections: Connection[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "#user = :user",
          FilterExpression: "#expiresAt > :now",
          ExpressionAttributeNames: { "#user": CONNECTIONS_TABLE.partitionKey, "#expiresAt": CONNECTIONS_TABLE.ttlAttribute },
          ExpressionAttributeValues: { ":user": userId, ":now": nowSeconds },
          ExclusiveStartKey: startKey,
        }),
      );
      connections.push(...((result.Items ?? []) as Connection[]));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return connections;
  }
}
