/**
 * Lambda bundles as a deploy makes them (esbuild, ESM, minified, everything bundled) next to a
 * floor per route: a minimal handler that makes the same DynamoDB call with the document client.
 * Compares their sizes and the time a fresh Node process takes to import them.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type BuildOptions } from "esbuild";
import { routes } from "@tasks/functions/routes";
import type { Report } from "../report.js";
import { median, percentile } from "../stats.js";

const root = resolve(import.meta.dirname, "../..");

/** The DynamoDB calls each handler makes, written plainly against the document client. */
const floors: Record<string, string> = {
  "todos/list": `await doc.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "u" }, Limit: 51 }));`,
  "todos/create": `await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: "t", Item: { userId: "u", todoId: "1" } } }, { Update: { TableName: "t", Key: { userId: "u", todoId: "#" }, UpdateExpression: "ADD c :one", ExpressionAttributeValues: { ":one": 1 } } }] }));`,
  "todos/get": `await doc.send(new GetCommand({ TableName: "t", Key: { userId: "u", todoId: "1" } }));`,
  "todos/update": `await doc.send(new UpdateCommand({ TableName: "t", Key: { userId: "u", todoId: "1" }, UpdateExpression: "SET title = :t", ExpressionAttributeValues: { ":t": "x" } }));`,
  "todos/remove": `await doc.send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: "t", Key: { userId: "u", todoId: "1" } } }] }));`,
  "todos/clear-completed": `await doc.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "u" } })); await doc.send(new TransactWriteCommand({ TransactItems: [] }));`,
  "todos/complete-all": `await doc.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "u" } })); await doc.send(new TransactWriteCommand({ TransactItems: [] }));`,
  "lists/list": `await doc.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "u" } }));`,
  "lists/create": `await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: "t", Item: { userId: "u", todoId: "#list#1" } } }, { Update: { TableName: "t", Key: { userId: "u", todoId: "#" }, UpdateExpression: "ADD c :one", ExpressionAttributeValues: { ":one": 1 } } }] }));`,
  "lists/update": `await doc.send(new UpdateCommand({ TableName: "t", Key: { userId: "u", todoId: "#list#1" }, UpdateExpression: "SET #n = :n", ExpressionAttributeNames: { "#n": "name" }, ExpressionAttributeValues: { ":n": "x" } }));`,
  "lists/remove": `await doc.send(new GetCommand({ TableName: "t", Key: { userId: "u", todoId: "#list#1" } })); await doc.send(new TransactWriteCommand({ TransactItems: [] }));`,
  // A pull queries the log, then reads the items it names.
  "sync/pull": `await doc.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "u" } })); await doc.send(new BatchGetCommand({ RequestItems: {} }));`,
  "account/export": `await doc.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "u" } }));`,
  // Closing an account needs Cognito's client too: the floor imports it as well (FLOOR_IMPORTS).
  "account/delete": `await doc.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "u" } })); await doc.send(new BatchWriteCommand({ RequestItems: {} })); await new CognitoIdentityProviderClient({}).send(new AdminDeleteUserCommand({ UserPoolId: "p", Username: "u" }));`,
};

/** What a floor imports besides DynamoDB's clients, for the routes whose work needs another service. */
const FLOOR_IMPORTS: Record<string, string> = {
  "account/delete": `import { AdminDeleteUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";`,
};

function floorSource(call: string, imports = ""): string {
  return `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
${imports}
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => { ${call} return { statusCode: 200 }; };`;
}

const common: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  minify: true,
  logLevel: "silent",
  // CommonJS dependencies inside an ESM bundle need `require`, as in SST's own bundling.
  banner: { js: `import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);` },
};

export interface BundlePair {
  route: string;
  handler: string;
  floor: string;
}

export async function buildBundles(outDir: string): Promise<BundlePair[]> {
  mkdirSync(outDir, { recursive: true });
  const pairs: BundlePair[] = [];
  for (const route of routes) {
    const name = route.handler.replace("/", "-");
    const handler = join(outDir, `${name}.mjs`);
    const floor = join(outDir, `${name}.floor.mjs`);
    await build({ ...common, entryPoints: [join(root, "packages/functions/src", `${route.handler}.ts`)], outfile: handler });
    const floorCall = floors[route.handler];
    if (!floorCall) throw new Error(`no floor for the route ${route.handler}: add the DynamoDB calls it makes to bench/measures/bundles.ts`);
    await build({
      ...common,
      stdin: { contents: floorSource(floorCall, FLOOR_IMPORTS[route.handler]), resolveDir: join(root, "bench"), loader: "ts" },
      outfile: floor,
    });
    pairs.push({ route: `${route.method} ${route.path}`, handler, floor });
  }
  // The live fan-out: its floor queries the connections and posts to one with the plain clients.
  const fanOut = join(outDir, "live-fan-out.mjs");
  const fanOutFloor = join(outDir, "live-fan-out.floor.mjs");
  await build({ ...common, entryPoints: [join(root, "packages/functions/src/live/fan-out.ts")], outfile: fanOut });
  await build({
    ...common,
    stdin: {
      contents: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const management = new ApiGatewayManagementApiClient({ endpoint: "https://example.com" });
export const handler = async () => {
  const { Items } = await doc.send(new QueryCommand({ TableName: "c", KeyConditionExpression: "userId = :u", ExpressionAttributeValues: { ":u": "u" } }));
  for (const item of Items ?? []) await management.send(new PostToConnectionCommand({ ConnectionId: item.connectionId, Data: "{}" }));
  return { batchItemFailures: [] };
};`,
      resolveDir: join(root, "bench"),
      loader: "ts",
    },
    outfile: fanOutFloor,
  });
  pairs.push({ route: "live fan-out", handler: fanOut, floor: fanOutFloor });
  return pairs;
}

export function measureSizes(report: Report, pairs: BundlePair[]) {
  for (const pair of pairs) {
    const handlerKb = statSync(pair.handler).size / 1024;
    const floorKb = statSync(pair.floor).size / 1024;
    report.add(`bundle size ${pair.route} / floor`, handlerKb / floorKb, "ratio", 1.5, "lower", `${handlerKb.toFixed(0)} KB vs ${floorKb.toFixed(0)} KB`);
  }
}

/** Milliseconds from process start until the module's import has finished, in a fresh process. */
function importTime(file: string): number {
  const script = `await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now()));`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { ...process.env, AWS_REGION: "us-east-1", TODOS_TABLE_NAME: "t" },
  });
  if (result.status !== 0) throw new Error(`importing ${file} failed: ${result.stderr}`);
  return Number(result.stdout);
}

export function measureColdInit(report: Report, pairs: BundlePair[], rounds = 11) {
  for (const pair of pairs) {
    const handler: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        handler.push(importTime(pair.handler));
        floor.push(importTime(pair.floor));
      } else {
        floor.push(importTime(pair.floor));
        handler.push(importTime(pair.handler));
      }
    }
    report.add(
      `cold init ${pair.route} / floor (p50)`,
      median(handler) / median(floor),
      "ratio",
      1.5,
      "lower",
      `${median(handler).toFixed(1)} ms vs ${median(floor).toFixed(1)} ms, p99 ${percentile(handler, 99).toFixed(1)} vs ${percentile(floor, 99).toFixed(1)}`,
    );
  }
}
