import { PatchTodoInput } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { ifMatchVersion, pathTodoId } from "../http/request.js";
import { ok } from "../http/responses.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";

export const handler = httpHandler({ body: PatchTodoInput }, async ({ userId, body, event }) => {
  const expectedVersion = ifMatchVersion(event);
  const todo = await getRuntime().todos.patch(userId, pathTodoId(event), body, {
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  });
  if (body.completed !== undefined) metrics.addMetric(body.completed ? "TodoCompleted" : "TodoReopened", MetricUnit.Count, 1);
  return ok(todo);
});
