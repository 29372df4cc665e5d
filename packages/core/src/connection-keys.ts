/** The Connections table's key layout: plain constants, which infra declares the table from. */
export const CONNECTIONS_TABLE = {
  partitionKey: "userId",
  sortKey: "connectionId",
  ttlAttribute: "expiresAt",
} as const;
