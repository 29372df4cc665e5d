import { httpHandler, outOfTime } from "../http-handler.js";
import { pathListId } from "../http/request.js";
import { noContent } from "../http/responses.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";

/**
 * 204 once the list is tombstoned: from then on none of its tasks is shown. The purge behind it
 * runs until the function's time is nearly up; one cut short is finished by the next DELETE /lists/{listId}.
 */
export const handler = httpHandler({}, async ({ userId, event, context }) => {
  const { purged } = await getRuntime().lists.remove(userId, pathListId(event), { outOfTime: outOfTime(context) });
  metrics.addMetric("ListDeleted", MetricUnit.Count, 1);
  if (!purged) metrics.addMetric("ListPurgeDeferred", MetricUnit.Count, 1);
  return noContent();
});
