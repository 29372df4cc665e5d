/**
 * The offline stand-in for Lambda's DynamoDB event source mapping, on DynamoDB Local's real
 * stream: every write after start arrives once, in order, as a `DynamoDBStreamEvent` that AWS's
 * own schema (Powertools parser) accepts; a failing batch is retried, not dropped; a restarted
 * poller picks up new writes.
 */
import { randomUUID } from "node:crypto";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBStreamSchema } from "@aws-lambda-powertools/parser/schemas";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDocumentClient, todosTableDefinition } from "@tasks/core";
import { startStreamPoller, type StreamPoller } from "../src/streams/stream-poller.js";
import { waitUntil } from "../src/ports.js";
import { localDynamoClient } from "../src/tables.js";
import "../test-support/provided-context.js";

const endpoint = inject("dynamoEndpoint");
const tableName = `Stream-${randomUUID().slice(0, 8)}`;
const db = createDocumentClient({ endpoint });
// Tables are made with the plain client: its default timeouts suit a slow CreateTable on a busy machine.
const admin = localDynamoClient(endpoint);

beforeAll(async () => {
  await admin.send(
    new CreateTableCommand({
      ...todosTableDefinition(tableName),
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
});
afterAll(async () => {
  await admin.send(new DeleteTableCommand({ TableName: tableName }));
  db.destroy();
  admin.destroy();
});

/** A poller that records what it delivers, optionally failing the first `failures` batches. */
async function recordingPoller(failures = 0) {
  const events: DynamoDBStreamEvent[] = [];
  const refused: DynamoDBStreamEvent[] = [];
  const poller: StreamPoller = await startStreamPoller({
    endpoint,
    tableName,
    region: "us-east-1",
    log: () => undefined,
    handler: async (event) => {
      if (refused.length < failures) {
        refused.push(event);
        throw new Error("handler failure on purpose");
      }
      events.push(event);
    },
  });
  const records = () => events.flatMap((event) => event.Records);
  return { poller, events, records, refused: () => refused.flatMap((event) => event.Records) };
}

const put = (todoId: string, title: string) =>
  db.send(new PutCommand({ TableName: tableName, Item: { userId: "u1", todoId, title } }));

function keysOf(records: DynamoDBRecord[]) {
  return records.map((record) => `${record.eventName} ${record.dynamodb?.Keys?.todoId?.S}`);
}

describe("the stream poller", () => {
  it("delivers every write after start once, in order, as events AWS's schema accepts", async () => {
    const { poller, events, records } = await recordingPoller();
    try {
      await put("a", "first");
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { userId: "u1", todoId: "a" },
          UpdateExpression: "SET title = :t",
          ExpressionAttributeValues: { ":t": "second" },
        }),
      );
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: { userId: "u1", todoId: "b", title: "in a transaction" } } },
            { Put: { TableName: tableName, Item: { userId: "u1", todoId: "c", title: "in a transaction" } } },
          ],
        }),
      );
      await db.send(new DeleteCommand({ TableName: tableName, Key: { userId: "u1", todoId: "a" } }));

      await waitUntil("five records", async () => records().length >= 5, 10_000);
      expect(keysOf(records())).toEqual(["INSERT a", "MODIFY a", "INSERT b", "INSERT c", "REMOVE a"]);
      for (const event of events) expect(DynamoDBStreamSchema.safeParse(event).error).toBeUndefined();
      const modify = records()[1]!.dynamodb!;
      expect(modify.OldImage?.title).toEqual({ S: "first" });
      expect(modify.NewImage?.title).toEqual({ S: "second" });
      expect(records()[4]!.dynamodb!.NewImage).toBeUndefined();
      expect(new Set(records().map((record) => record.eventID)).size).toBe(5);
    } finally {
      await poller.stop();
    }
  });

  it("retries a batch its handler failed, and loses nothing", async () => {
    const { poller, records, refused } = await recordingPoller(2);
    try {
      await put("retry-1", "x");
      await put("retry-2", "y");
      await waitUntil("both records", async () => records().length >= 2, 10_000);
      expect(keysOf(records())).toEqual(["INSERT retry-1", "INSERT retry-2"]);
      // The refused batches were the same records again, from the first one: retried, not skipped.
      const delivered = records().map((record) => record.eventID);
      for (const id of refused().map((record) => record.eventID)) expect(delivered).toContain(id);
      expect(refused()[0]!.eventID).toBe(delivered[0]);
    } finally {
      await poller.stop();
    }
  });

  it("with a partial batch response, retries from the lowest failed record on and not the records before it, as Lambda does", async () => {
    const events: DynamoDBStreamEvent[] = [];
    let reported = false;
    const poller = await startStreamPoller({
      endpoint,
      tableName,
      region: "us-east-1",
      log: () => undefined,
      handler: async (event) => {
        events.push(event);
        const failed = event.Records.find((record) => record.dynamodb?.Keys?.todoId?.S === "partial-2");
        if (reported || !failed) return { batchItemFailures: [] };
        reported = true;
        return { batchItemFailures: [{ itemIdentifier: failed.dynamodb!.SequenceNumber! }] };
      },
    });
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: ["partial-1", "partial-2", "partial-3"].map((todoId) => ({ Put: { TableName: tableName, Item: { userId: "u1", todoId } } })),
        }),
      );
      const seen = () => keysOf(events.flatMap((event) => event.Records));
      await waitUntil("the retry", async () => seen().filter((key) => key === "INSERT partial-2").length === 2, 10_000);
      await waitUntil("the third record", async () => seen().includes("INSERT partial-3"), 10_000);
      expect(seen().filter((key) => key === "INSERT partial-1")).toHaveLength(1);
      const retry = events.find((event, index) => index > 0 && keysOf(event.Records).includes("INSERT partial-2"))!;
      expect(keysOf(retry.Records)[0]).toBe("INSERT partial-2");
    } finally {
      await poller.stop();
    }
  });

  it("starts at the stream's tip after a restart and delivers what is written from then on", async () => {
    const first = await recordingPoller();
    await put("before-stop", "x");
    await waitUntil("the first record", async () => first.records().length >= 1, 10_000);
    await first.poller.stop();
    await put("while-stopped", "y");

    const second = await recordingPoller();
    try {
      await put("after-restart", "z");
      await waitUntil("the record after the restart", async () => second.records().length >= 1, 10_000);
      expect(keysOf(second.records())).toEqual(["INSERT after-restart"]);
    } finally {
      await second.poller.stop();
    }
  });

  it("resumed from a stopped poller's checkpoints, delivers what was written while it was stopped, and nothing twice", async () => {
    const first = await recordingPoller();
    await put("resume-1", "x");
    await waitUntil("the first record", async () => first.records().length >= 1, 10_000);
    await first.poller.stop();
    await put("resume-2", "y");

    const events: DynamoDBStreamEvent[] = [];
    const second = await startStreamPoller({
      endpoint,
      tableName,
      region: "us-east-1",
      log: () => undefined,
      resumeFrom: first.poller.checkpoints(),
      handler: async (event) => void events.push(event),
    });
    try {
      await put("resume-3", "z");
      const seen = () => keysOf(events.flatMap((event) => event.Records));
      await waitUntil("both later records", async () => seen().length >= 2, 10_000);
      expect(keysOf(first.records())).toEqual(["INSERT resume-1"]);
      expect(seen()).toEqual(["INSERT resume-2", "INSERT resume-3"]);
    } finally {
      await second.stop();
    }
  });

  it("refuses a table without a stream, naming it", async () => {
    const plain = `Plain-${randomUUID().slice(0, 8)}`;
    await admin.send(new CreateTableCommand(todosTableDefinition(plain)));
    try {
      await expect(startStreamPoller({ endpoint, tableName: plain, region: "us-east-1", handler: async () => undefined })).rejects.toThrow(
        `Table ${plain} has no stream`,
      );
    } finally {
      await admin.send(new DeleteTableCommand({ TableName: plain }));
    }
  });
});
