/**
 * The Todos table as stored, read with a plain Scan — not through the repository's own list
 * code — for tests that check what the API said against what DynamoDB holds: per user, the
 * tasks (their raw attributes), the list items, the membership items, the counter and the sync log.
 */
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "@tasks/core";

export interface RawPartition {
  /** Task items by id (sort keys that are ULIDs), attributes as stored. */
  tasks: Map<string, Record<string, unknown>>;
  /** List items by list id (`#list#<id>`), tombstones included. */
  lists: Map<string, Record<string, unknown>>;
  /** Membership sort keys (`~in#<listId>#<taskId>`), sorted. */
  memberships: string[];
  counter: { todoCount: number; listCount: number };
  /** Sync-log entries (`~log#<id>`), as stored, in log order. */
  logEntries: Record<string, unknown>[];
  /** Sort keys of anything else (there should be none). */
  other: string[];
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export async function scanPartitions(endpoint: string, tableName: string, userIds: readonly string[]): Promise<Map<string, RawPartition>> {
  const db = createDocumentClient({ endpoint });
  const partitions = new Map<string, RawPartition>(
    userIds.map((id) => [id, { tasks: new Map(), lists: new Map(), memberships: [], counter: { todoCount: 0, listCount: 0 }, logEntries: [], other: [] }]),
  );
  try {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
      for (const item of page.Items ?? []) {
        const partition = partitions.get(item.userId as string);
        if (!partition) continue;
        const sortKey = item.todoId as string;
        if (ULID.test(sortKey)) partition.tasks.set(sortKey, item);
        else if (sortKey.startsWith("#list#")) partition.lists.set(sortKey.slice("#list#".length), item);
        else if (sortKey.startsWith("~in#")) partition.memberships.push(sortKey);
        else if (sortKey.startsWith("~log#")) partition.logEntries.push(item);
        else if (sortKey === "#counter") partition.counter = { todoCount: Number(item.todoCount ?? 0), listCount: Number(item.listCount ?? 0) };
        else partition.other.push(sortKey);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  } finally {
    db.destroy();
  }
  for (const partition of partitions.values()) {
    partition.memberships.sort();
    partition.logEntries.sort((a, b) => ((a.todoId as string) < (b.todoId as string) ? -1 : 1));
  }
  return partitions;
}
