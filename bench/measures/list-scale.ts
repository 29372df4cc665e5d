/**
 * Listing cost must not grow with the number of tasks a user has: a page of 50 from the start and
 * from the middle of 100, 1 000 and 10 000 tasks, seeded straight into the table.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { encodeCursor, newTodoId, TodoRepository, type StoredTodo } from "@tasks/core";
import type { Report } from "../report.js";
import { median, percentile } from "../stats.js";

const SIZES = [100, 1_000, 10_000];
const PAGE = 50;

async function seed(db: DynamoDBDocumentClient, table: string, userId: string, count: number): Promise<string[]> {
  const start = Date.now() - count;
  const items: StoredTodo[] = Array.from({ length: count }, (_, i) => {
    const at = new Date(start + i).toISOString();
    return { userId, todoId: newTodoId(new Date(start + i)), title: `seeded task ${i}`, completed: i % 2 === 0, order: i, createdAt: at, updatedAt: at, version: 1 };
  });
  const batches: StoredTodo[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let requests: Record<string, unknown[]> | undefined = {
          [table]: batches[next++]!.map((Item) => ({ PutRequest: { Item } })),
        };
        while (requests && Object.keys(requests).length > 0) {
          const result = await db.send(new BatchWriteCommand({ RequestItems: requests as never }));
          requests = result.UnprocessedItems as Record<string, unknown[]> | undefined;
        }
      }
    }),
  );
  return items.map((item) => item.todoId).sort();
}

export async function measureListScale(report: Report, db: DynamoDBDocumentClient, table: string) {
  const repo = new TodoRepository(db, table);
  const users: { size: number; userId: string; cursor: string; samples: number[] }[] = [];
  for (const size of SIZES) {
    const userId = `bench-scale-${size}`;
    const ids = await seed(db, table, userId, size);
    // Every other page starts halfway through the user's tasks.
    users.push({ size, userId, cursor: encodeCursor(userId, ids[size / 2 - 1]!), samples: [] });
  }
  const page = async (user: (typeof users)[number], fromMiddle: boolean) => {
    const start = performance.now();
    const result = await repo.list(user.userId, { limit: PAGE, ...(fromMiddle ? { cursor: user.cursor } : {}) });
    if (result.items.length !== PAGE) throw new Error(`a page at ${user.size} tasks held ${result.items.length} items`);
    return performance.now() - start;
  };
  for (let i = 0; i < 20; i++) for (const user of users) await page(user, i % 2 === 1);
  // Interleaved: each round reads one page per size, in rotating order.
  for (let round = 0; round < 150; round++) {
    for (let k = 0; k < users.length; k++) {
      const user = users[(round + k) % users.length]!;
      user.samples.push(await page(user, round % 2 === 1));
    }
  }
  for (const user of users) {
    report.add(`list page of ${PAGE} at ${user.size} tasks (p50)`, median(user.samples), "ms", null, "lower", `p99 ${percentile(user.samples, 99).toFixed(2)} ms`);
  }
  const [smallest, , largest] = users;
  report.add(`list page latency ${largest!.size} / ${smallest!.size} tasks (p50)`, median(largest!.samples) / median(smallest!.samples), "ratio", 1.5);
  report.add(`list page latency ${largest!.size} / ${smallest!.size} tasks (p99)`, percentile(largest!.samples, 99) / percentile(smallest!.samples, 99), "ratio", null);
}
