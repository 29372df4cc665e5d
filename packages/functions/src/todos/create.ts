import { CreateTodoInput } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { idempotencyKey } from "../http/request.js";
import { created } from "../http/responses.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";
import { makeIdempotentCreate, type IdempotentCreate } from "./idempotent-create.js";

/** Built on the first keyed create of each runtime (tests and the offline stack may swap it). */
const idempotentCreates = new WeakMap<object, IdempotentCreate>();

function idempotentCreateFor(runtime: ReturnType<typeof getRuntime>): IdempotentCreate {
  let create = idempotentCreates.get(runtime);
  if (!create) {
    const tableName = runtime.config.IDEMPOTENCY_TABLE_NAME;
    if (!tableName) throw new Error("IDEMPOTENCY_TABLE_NAME is not set");
    create = makeIdempotentCreate({ dynamo: runtime.dynamo, tableName, todos: runtime.todos });
    idempotentCreates.set(runtime, create);
  }
  return create;
}

export const handler = httpHandler({ body: CreateTodoInput }, async ({ userId, body, event, context }) => {
  const key = idempotencyKey(event);
  const runtime = getRuntime();
  const todo =
    key === undefined
      ? await runtime.todos.create(userId, body)
      : await idempotentCreateFor(runtime)({ userId, key, input: body }, context);
  metrics.addMetric("TodoCreated", MetricUnit.Count, 1);
  return created(todo, `/todos/${todo.id}`);
});
