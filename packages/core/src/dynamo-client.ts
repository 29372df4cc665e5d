import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface DynamoClientOptions {
  region?: string;
  /** Set only for DynamoDB Local; deployed functions use the regional endpoint. */
  endpoint?: string;
  /** Per attempt; only tests of big transactions on a shared DynamoDB Local raise it. */
  requestTimeoutMs?: number;
}

/**
 * Timeouts and retries are chosen so that a call fails fast when DynamoDB is unreachable, hung or
 * throttling: 3 attempts, each bounded by 1 s to connect and 2.5 s to answer, with the SDK's
 * jittered backoff in between (one call stays under the function's 10 s timeout; a request that
 * makes several is cut short by the HTTP wrapper's deadline instead). The SDK's HTTP handler
 * only logs a warning when `requestTimeout` passes unless `throwOnRequestTimeout` is set; without
 * it a hung connection would hold the request until the function itself timed out.
 */
export function createDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  const local = options.endpoint !== undefined;
  return new DynamoDBClient({
    region: options.region ?? process.env.AWS_REGION ?? "us-east-1",
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: options.requestTimeoutMs ?? 2_500, throwOnRequestTimeout: true },
    ...(local
      ? {
          endpoint: options.endpoint,
          // DynamoDB Local accepts any credentials; fixed ones keep it from searching for real ones.
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }
      : {}),
  });
}

/** The document client the repository uses, sharing the connections of `client`. */
export function documentClientFor(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  return documentClientFor(createDynamoClient(options));
}
export type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
