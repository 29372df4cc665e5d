import { CreateTodoInput, type Todo } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { idempotencyKey } from "../http/request.js";
import { created } from "../http/responses.js";
import { idempotent } from "../idempotency.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";

const createOnce = idempotent<CreateTodoInput, Todo>("create-todo", (runtime, userId, input) =>
  runtime.todos.create(userId, input),
);

export const handler = httpHandler({ body: CreateTodoInput }, async ({ userId, body, event, context }) => {
  const key = idempotencyKey(event);
  const todo =
    key === undefined ? await getRuntime().todos.create(userId, body) : await createOnce({ userId, key, input: body }, context);
  metrics.addMetric("TodoCreated", MetricUnit.Count, 1);
  return created(todo, `/todos/${todo.id}`);
});
