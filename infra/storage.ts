/**
 * DynamoDB: the Todos table and the Powertools idempotency table, keyed as packages/core says.
 * On-demand billing (the component's default). PITR and encryption with the AWS-managed KMS key
 * (aws/dynamodb) are set on the underlying table. On production, deletion protection, and
 * Pulumi's protect: a deploy that would replace or delete a table fails.
 */
import { IDEMPOTENCY_TABLE, TODOS_TABLE } from "../packages/core/src/keys";
import { isProduction } from "./stage";

const tableSettings = {
  pointInTimeRecovery: { enabled: true },
  serverSideEncryption: { enabled: true },
};

export const todosTable = new sst.aws.Dynamo("Todos", {
  fields: { [TODOS_TABLE.partitionKey]: "string", [TODOS_TABLE.sortKey]: "string" },
  primaryIndex: { hashKey: TODOS_TABLE.partitionKey, rangeKey: TODOS_TABLE.sortKey },
  // Sync-log entries expire by themselves after the retention (packages/core/src/sync-log.ts).
  ttl: TODOS_TABLE.ttlAttribute,
  // The live fan-out's source (infra/realtime.ts); keys only: core's TODOS_STREAM_VIEW_TYPE says why.
  stream: "keys-only",
  ...(isProduction ? { deletionProtection: true } : {}),
  transform: { table: tableSettings },
}, { protect: isProduction });

/** Records expire through DynamoDB TTL (Powertools writes `expiration`, 24 h after the request). */
export const idempotencyTable = new sst.aws.Dynamo("Idempotency", {
  fields: { [IDEMPOTENCY_TABLE.partitionKey]: "string" },
  primaryIndex: { hashKey: IDEMPOTENCY_TABLE.partitionKey },
  ttl: IDEMPOTENCY_TABLE.ttlAttribute,
  ...(isProduction ? { deletionProtection: true } : {}),
  transform: { table: tableSettings },
}, { protect: isProduction });
