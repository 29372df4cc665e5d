import { BulkCompleteInput, BulkCompleteQuery } from "@tasks/core/contract";
import { httpHandler, outOfTime } from "../http-handler.js";
import { ok } from "../http/responses.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";

/** PATCH /todos?listId=&completed= {"completed": bool} — mark all (in)complete in one request. */
export const handler = httpHandler({ body: BulkCompleteInput, query: BulkCompleteQuery }, async ({ userId, body, query, context }) => {
  const result = await getRuntime().todos.completeAll(userId, query, body.completed, { outOfTime: outOfTime(context) });
  metrics.addMetric(body.completed ? "TodoCompleted" : "TodoReopened", MetricUnit.Count, result.updated);
  return ok(result);
});
