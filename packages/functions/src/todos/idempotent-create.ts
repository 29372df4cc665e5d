/**
 * POST /todos with an Idempotency-Key, through Powertools idempotency on its DynamoDB table:
 * the same user, key and body get the stored response; a duplicate that arrives while the first
 * is in flight gets IdempotencyAlreadyInProgressError; the same key with another body gets
 * IdempotencyValidationError. Keys are scoped to the user by hashing [userId, key], and expire.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { CreateTodoInput, DynamoDBClient, Todo, TodoRepository } from "@tasks/core";
import type { Context } from "aws-lambda";
import { HttpError, RETRY_AFTER_SECONDS } from "../http/http-error.js";

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
  return async (request, context) => {
    // Lets Powertools mark a record expired if the function times out mid-request.
    config.registerLambdaContext(context);
    try {
      return await create(request);
    } catch (error) {
      throw toHttpError(error);
    }
  };
}

function toHttpError(error: unknown): unknown {
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new HttpError(
      409,
      "REQUEST_IN_PROGRESS",
      "A request with this Idempotency-Key is still in progress; retry later",
      [],
      { "retry-after": String(RETRY_AFTER_SECONDS) },
    );
  }
  if (error instanceof IdempotencyValidationError) {
    return new HttpError(422, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different body");
  }
  return error;
}
