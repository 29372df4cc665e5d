import { CreateTodoInput } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { idempotencyKey } from "../http/request.js";
import { created } from "../http/responses.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";

export const handler = httpHandler({ body: CreateTodoInput }, async ({ userId, body, event, context }) => {
  const key = idempotencyKey(event);
  const runtime = getRuntime();
  const todo =
    key === undefined
      ? await runtime.todos.create(userId, body)
      : await runtime.idempotentCreate()({ userId, key, input: body }, context);
  metrics.addMetric("TodoCreated", MetricUnit.Count, 1);
  return created(todo, `/todos/${todo.id}`);
});
