/**
 * Vitest global setup: one in-memory DynamoDB Local for the whole run, on a free port. Test files
 * read its endpoint with `inject("dynamoEndpoint")` and create their own uniquely named tables.
 */
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../src/dynamodb-local.js";
import "./provided-context.js";


export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal();
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return () => dynamo.stop();
}
