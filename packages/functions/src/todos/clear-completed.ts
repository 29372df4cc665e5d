import { ClearCompletedQuery } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { ok } from "../http/responses.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";

/**
 * DELETE /todos?completed=true[&listId=] — `completed` is required, so a bare DELETE /todos is a
 * 400; `listId` clears one list (unknown or another user's: 404).
 */
export const handler = httpHandler({ query: ClearCompletedQuery }, async ({ userId, query }) => {
  const result = await getRuntime().todos.removeCompleted(userId, query.listId);
  metrics.addMetric("TodoDeleted", MetricUnit.Count, result.deleted);
  return ok(result);
});
