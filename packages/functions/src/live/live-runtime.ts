/**
 * What the live-sync functions need, built once per container: the connections repository and,
 * for the fan-out, the client of this WebSocket API's `@connections` endpoint.
 */
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { ConnectionRepository, createDynamoClient, documentClientFor } from "@tasks/core";
import * as z from "zod";

const Environment = z.object({
  CONNECTIONS_TABLE_NAME: z.string().min(1),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
});

const ManagementEnvironment = z.object({
  /** `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>` (the offline gateway's own URL offline). */
  WS_MANAGEMENT_ENDPOINT: z.url(),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
});

let connections: ConnectionRepository | undefined;
let management: ApiGatewayManagementApiClient | undefined;

export function connectionRepository(): ConnectionRepository {
  if (!connections) {
    const env = Environment.parse(process.env);
    const client = createDynamoClient({
      ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
      ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
    });
    connections = new ConnectionRepository(documentClientFor(client), env.CONNECTIONS_TABLE_NAME);
  }
  return connections;
}

/**
 * Posts fail fast (1 s to connect, 2 s to answer, 3 attempts with the SDK's backoff for 5xx and
 * throttling): a stuck post must not hold the batch until the function times out. A 410 Gone is
 * not retried by the SDK; the fan-out drops the row.
 */
export function managementClient(): ApiGatewayManagementApiClient {
  if (!management) {
    const env = ManagementEnvironment.parse(process.env);
    management = new ApiGatewayManagementApiClient({
      endpoint: env.WS_MANAGEMENT_ENDPOINT,
      region: env.AWS_REGION ?? "us-east-1",
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
      // Offline (DynamoDB Local's endpoint set), the local gateway accepts any credentials.
      ...(env.DYNAMODB_ENDPOINT ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
    });
  }
  return management;
}

/** For tests and the offline stack: forget the cached clients so new settings take effect. */
export function resetLiveRuntime(): void {
  connections = undefined;
  management?.destroy();
  management = undefined;
}
