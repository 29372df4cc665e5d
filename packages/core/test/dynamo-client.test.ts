/**
 * The DynamoDB client's time bounds: a database that accepts connections but never answers
 * (hung, or a black-holed network) fails the call with a transient error well inside the
 * functions' 10 s timeout, instead of holding it until the function is killed.
 */
import { createServer, type Socket } from "node:net";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDynamoClient } from "../src/dynamo-client.js";
import { isTransientDynamoError } from "../src/errors.js";

const sockets: Socket[] = [];
const silent = createServer((socket) => {
  sockets.push(socket);
  socket.on("error", () => undefined);
});
let endpoint: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

it("gives up on a database that never answers after its 3 attempts, with a transient error, in under 9 s", async () => {
  const client = createDynamoClient({ endpoint, region: "us-east-1" });
  const started = performance.now();
  try {
    const error = await client
      .send(new GetItemCommand({ TableName: "Todos", Key: { userId: { S: "u" }, todoId: { S: "t" } } }))
      .then(() => undefined, (caught: unknown) => caught);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(Error);
    expect(isTransientDynamoError(error)).toBe(true);
    expect(elapsed).toBeGreaterThan(2_000);
    expect(elapsed).toBeLessThan(9_000);
    expect(sockets.length).toBe(3);
  } finally {
    client.destroy();
  }
}, 15_000);
