/**
 * Lists (API v2):
 * - a page of 50 of one list must cost O(page): a user with 10 000 tasks spread over 20 lists
 *   against a user with 100 tasks, the same page of one list, read side by side;
 * - mark all over 1 000 tasks through the API (gateway, handler, repository) against the bare
 *   DynamoDB writes it makes: the same transactions of 99 conditional updates, as many at once.
 * Tasks are seeded straight into the table in the stored layout (keys.ts): a task item with
 * `listId` and its membership item; lists through the repository.
 */
import { BatchWriteCommand, TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ListRepository, logEntryItem, membershipKey, newLogEntryId, newTodoId, TodoRepository, type StoredTodo } from "@tasks/core";
import type { Report } from "../report.js";
import { median, percentile } from "../stats.js";

const PAGE = 50;

async function batchWrite(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let requests: Record<string, unknown[]> | undefined = { [table]: batches[next++]!.map((Item) => ({ PutRequest: { Item } })) };
        while (requests && Object.keys(requests).length > 0) {
          const result = await db.send(new BatchWriteCommand({ RequestItems: requests as never }));
          requests = result.UnprocessedItems as Record<string, unknown[]> | undefined;
        }
      }
    }),
  );
}

/** `count` tasks, task i in listIds[i % listIds.length] (so each list's tasks are spread over the id range). */
export async function seedTasks(db: DynamoDBDocumentClient, table: string, userId: string, count: number, listIds: string[]): Promise<void> {
  const start = Date.now() - count;
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(start + i);
    const listId = listIds[i % listIds.length]!;
    const task: StoredTodo = {
      userId,
      todoId: newTodoId(at),
      title: `seeded task ${i}`,
      completed: false,
      order: i,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      version: 1,
      ...(listId === "default" ? {} : { listId }),
    };
    items.push(task as unknown as Record<string, unknown>);
    if (listId !== "default") items.push({ ...membershipKey(userId, listId, task.todoId) });
  }
  await batchWrite(db, table, items);
}

async function newLists(lists: ListRepository, userId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await lists.create(userId, { name: `list ${i}` })).id);
  return ids;
}

export async function measureListPages(report: Report, db: DynamoDBDocumentClient, table: string) {
  const todos = new TodoRepository(db, table);
  const lists = new ListRepository(db, table);
  const small = { userId: "bench-lists-small", samples: [] as number[], defaultSamples: [] as number[], listId: "" };
  const large = { userId: "bench-lists-large", samples: [] as number[], defaultSamples: [] as number[], listId: "" };
  small.listId = (await newLists(lists, small.userId, 1))[0]!;
  await seedTasks(db, table, small.userId, 100, [small.listId!, "default"]);
  const largeLists = await newLists(lists, large.userId, 19);
  large.listId = largeLists[7]!;
  await seedTasks(db, table, large.userId, 10_000, ["default", ...largeLists]);

  const page = async (user: typeof small, listId: string) => {
    const started = performance.now();
    const result = await todos.list(user.userId, { limit: PAGE, listId });
    const ms = performance.now() - started;
    if (listId !== "default" && result.items.length !== PAGE) throw new Error(`a list page held ${result.items.length} items`);
    return ms;
  };
  for (let i = 0; i < 10; i++) for (const user of [small, large]) await page(user, user.listId);
  for (let round = 0; round < 150; round++) {
    for (const user of round % 2 ? [small, large] : [large, small]) {
      user.samples.push(await page(user, user.listId));
      if (round % 3 === 0) user.defaultSamples.push(await page(user, "default"));
    }
  }
  report.add(`list page of ${PAGE} of one list, 10 000 tasks over 20 lists (p50)`, median(large.samples), "ms", null, "lower", `p99 ${percentile(large.samples, 99).toFixed(2)} ms`);
  report.add(`list page of ${PAGE} of one list, 100 tasks (p50)`, median(small.samples), "ms", null, "lower", `p99 ${percentile(small.samples, 99).toFixed(2)} ms`);
  report.add("list page latency of one list, 10 000 over 20 lists / 100 tasks (p50)", median(large.samples) / median(small.samples), "ratio", 1.5);
  report.add("list page latency of one list, 10 000 over 20 lists / 100 tasks (p99)", percentile(large.samples, 99) / percentile(small.samples, 99), "ratio", null);
  // The default list is the v1 task range filtered to tasks without listId: its cost grows with
  // the share of a user's tasks that are in other lists (README, Design notes). Shown, not budgeted.
  report.add(
    "default-list page, 500 of 10 000 tasks / 50 of 100 (p50)",
    median(large.defaultSamples) / median(small.defaultSamples),
    "ratio",
    null,
    "lower",
    `${median(large.defaultSamples).toFixed(2)} vs ${median(small.defaultSamples).toFixed(2)} ms`,
  );
}

export interface MarkAllTarget {
  apiUrl: string;
  accessToken: string;
  userId: string;
  db: DynamoDBDocumentClient;
  table: string;
}

const TASKS = 1_000;
const PER_TRANSACTION = 99;
const CONCURRENCY = 4;

export async function measureMarkAll(report: Report, target: MarkAllTarget) {
  const lists = new ListRepository(target.db, target.table);
  const [listId] = await newLists(lists, target.userId, 1);
  await seedTasks(target.db, target.table, target.userId, TASKS, [listId!]);
  const allIds: string[] = [];
  for (let cursor: string | undefined; ; ) {
    const page = await new TodoRepository(target.db, target.table).list(target.userId, { limit: 100, listId: listId!, ...(cursor ? { cursor } : {}) });
    allIds.push(...page.items.map((t) => t.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }

  const viaApi = async (completed: boolean) => {
    const started = performance.now();
    const response = await fetch(`${target.apiUrl}/todos?listId=${listId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${target.accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ completed }),
    });
    const body = (await response.json()) as { updated?: number };
    const ms = performance.now() - started;
    if (response.status !== 200 || body.updated !== TASKS) throw new Error(`mark all answered ${response.status} ${JSON.stringify(body)}`);
    return ms;
  };
  /** The writes mark all makes, straight to DynamoDB: the same conditional updates in the same transactions. */
  const bare = async (completed: boolean) => {
    const now = new Date().toISOString();
    const groups: string[][] = [];
    for (let i = 0; i < allIds.length; i += PER_TRANSACTION) groups.push(allIds.slice(i, i + PER_TRANSACTION));
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < groups.length) {
          const group = groups[next++]!;
          await target.db.send(
            new TransactWriteCommand({
              TransactItems: [
                // The sync-log entry every write transaction carries.
                { Put: { TableName: target.table, Item: logEntryItem(target.userId, newLogEntryId(), group.map((id) => ({ kind: "todo" as const, id }))) } },
                ...group.map((todoId) => ({
                  Update: {
                    TableName: target.table,
                    Key: { userId: target.userId, todoId },
                    UpdateExpression: completed
                      ? "SET #updatedAt = :now, #completed = :target, #completedAt = if_not_exists(#completedAt, :now) ADD #version :one"
                      : "SET #updatedAt = :now, #completed = :target REMOVE #completedAt ADD #version :one",
                    ConditionExpression: "attribute_exists(#sk) AND #listId = :listId AND #completed <> :target",
                    ExpressionAttributeNames: { "#updatedAt": "updatedAt", "#completed": "completed", "#completedAt": "completedAt", "#version": "version", "#sk": "todoId", "#listId": "listId" },
                    ExpressionAttributeValues: { ":now": now, ":target": completed, ":one": 1, ":listId": listId },
                  },
                })),
              ],
            }),
          );
        }
      }),
    );
    return performance.now() - started;
  };

  // Each round flips all 1 000 tasks twice: once through the API, once with the bare writes,
  // alternating which goes first.
  const api: number[] = [];
  const direct: number[] = [];
  const completed = true;
  for (let round = 0; round < 6; round++) {
    if (round % 2 === 0) {
      api.push(await viaApi(completed));
      direct.push(await bare(!completed));
    } else {
      direct.push(await bare(completed));
      api.push(await viaApi(!completed));
    }
  }
  const [apiWarm, directWarm] = [api.slice(1), direct.slice(1)];
  report.add(`mark all over ${TASKS} tasks through the API (p50)`, median(apiWarm), "ms", null, "lower", `${Math.ceil(TASKS / PER_TRANSACTION)} transactions, ${CONCURRENCY} at a time`);
  report.add(`mark all over ${TASKS} tasks / the bare writes it makes (p50)`, median(apiWarm) / median(directWarm), "ratio", 2, "lower", `${median(apiWarm).toFixed(0)} vs ${median(directWarm).toFixed(0)} ms`);
}
