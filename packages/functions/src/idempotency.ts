/**
 * Idempotent creates (POST /todos, POST /lists with an Idempotency-Key), through Powertools
 * idempotency on its DynamoDB table: the same user, key and body get the stored response; a
 * duplicate that arrives while the first is in flight gets IdempotencyAlreadyInProgressError; the
 * same key with another body gets IdempotencyValidationError. Keys are scoped to the user by
 * hashing [userId, key] and to the operation by its prefix, and expire.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { Context } from "aws-lambda";
import { HttpError, RETRY_AFTER_SECONDS } from "./http/http-error.js";
import { getRuntime } from "./runtime.js";

export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

export interface IdempotentRequest<Input> {
  userId: string;
  key: string;
  input: Input;
}

export type IdempotentOperation<Input, Output> = (request: IdempotentRequest<Input>, context: Context) => Promise<Output>;

type Runtime = ReturnType<typeof getRuntime>;

/**
 * `operation` made idempotent on the runtime's idempotency table. Built on the first keyed call of
 * each runtime (tests and the offline stack may swap the runtime).
 */
export function idempotent<Input, Output>(
  /** A stable prefix: the same key means the same thing whichever function name serves it. */
  keyPrefix: string,
  operation: (runtime: Runtime, userId: string, input: Input) => Promise<Output>,
): IdempotentOperation<Input, Output> {
  const built = new WeakMap<Runtime, IdempotentOperation<Input, Output>>();
  return (request, context) => {
    const runtime = getRuntime();
    let run = built.get(runtime);
    if (!run) {
      run = build(runtime, keyPrefix, operation);
      built.set(runtime, run);
    }
    return run(request, context);
  };
}

function build<Input, Output>(
  runtime: Runtime,
  keyPrefix: string,
  operation: (runtime: Runtime, userId: string, input: Input) => Promise<Output>,
): IdempotentOperation<Input, Output> {
  const tableName = runtime.config.IDEMPOTENCY_TABLE_NAME;
  if (!tableName) throw new Error("IDEMPOTENCY_TABLE_NAME is not set");
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "[userId, key]",
    payloadValidationJmesPath: "input",
    expiresAfterSeconds: IDEMPOTENCY_KEY_TTL_SECONDS,
    throwOnNoIdempotencyKey: true,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: runtime.dynamo });
  const run = makeIdempotent(
    (request: IdempotentRequest<Input>) => operation(runtime, request.userId, request.input),
    { persistenceStore, config, keyPrefix },
  );
  return async (request, context) => {
    // Lets Powertools mark a record expired if the function times out mid-request.
    config.registerLambdaContext(context);
    try {
      return (await run(request)) as Output;
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
