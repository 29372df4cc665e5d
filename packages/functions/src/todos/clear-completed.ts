import { ClearCompletedQuery } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { ok } from "../http/responses.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";

/** DELETE /todos?completed=true — the query parameter is required, so a bare DELETE /todos is a 400. */
export const handler = httpHandler({ query: ClearCompletedQuery }, async ({ userId }) => {
  const result = await getRuntime().todos.removeCompleted(userId);
  metrics.addMetric("TodoDeleted", MetricUnit.Count, result.deleted);
  return ok(result);
});
