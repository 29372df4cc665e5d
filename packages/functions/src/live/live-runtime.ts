/**
 * What the live-sync functions need, built once per container: the connections repository and,
 * for the authorizer, the Cognito access-token verifier (aws-jwt-verify caches the pool's JWKS).
 */
import { ConnectionRepository, createDynamoClient, documentClientFor } from "@tasks/core";
import * as z from "zod";

const Environment = z.object({
  CONNECTIONS_TABLE_NAME: z.string().min(1),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
});

let connections: ConnectionRepository | undefined;

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

/** For tests and the offline stack: forget the cached repository so new settings take effect. */
export function resetLiveRuntime(): void {
  connections = undefined;
}
