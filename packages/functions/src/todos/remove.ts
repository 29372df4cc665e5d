import { httpHandler } from "../http-handler.js";
import { ifMatchVersion, pathTodoId } from "../http/request.js";
import { noContent } from "../http/responses.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";

export const handler = httpHandler({}, async ({ userId, event }) => {
  const expectedVersion = ifMatchVersion(event);
  await getRuntime().todos.remove(userId, pathTodoId(event), {
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  });
  metrics.addMetric("TodoDeleted", MetricUnit.Count, 1);
  return noContent();
});
