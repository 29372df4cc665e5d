/**
 * POST /todos with an Idempotency-Key, through Powertools idempotency on its DynamoDB table:
 * the same user, key and body get the stored response; a duplicate that arrives while the first
 * is in flight gets IdempotencyAlreadyInProgressError; the same key with another body gets
 * IdempotencyValidationError. Keys are scoped to the user by hashing [userId, key], and expire.
 */
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { CreateTodoInput, DynamoDBClient, Todo, TodoRepository } from "@tasks/core";
import type { Context } from "aws-lambda";

export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

export interface IdempotentCreateRequest {
  userId: string;
  key: string;
  input: CreateTodoInput;
}

export type IdempotentCreate = (request: IdempotentCreateRequest, context: Context) => Promise<Todo>;

export function makeIdempotentCreate(options: {
  dynamo: DynamoDBClient;
  tableName: string;
  todos: TodoRepository;
}): IdempotentCreate {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "[userId, key]",
    payloadValidationJmesPath: "input",
    expiresAfterSeconds: IDEMPOTENCY_KEY_TTL_SECONDS,
    throwOnNoIdempotencyKey: true,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.dynamo,
  });
  const create = makeIdempotent(
    (request: IdempotentCreateRequest) => options.todos.create(request.userId, request.input),
    {
      persistenceStore,
      config,
      // A stable prefix: the same key means the same thing whichever function name serves it.
      keyPrefix: "create-todo",
    },
  );
  return (request, context) => {
    // Lets Powertools mark a record expired if the function times out mid-request.
    config.registerLambdaContext(context);
    return create(request);
  };
}
