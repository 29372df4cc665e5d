import { CreateListInput, type List } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { idempotencyKey } from "../http/request.js";
import { created } from "../http/responses.js";
import { idempotent } from "../idempotency.js";
import { metrics, MetricUnit } from "../observability.js";
import { getRuntime } from "../runtime.js";

const createOnce = idempotent<CreateListInput, List>("create-list", (runtime, userId, input) =>
  runtime.lists.create(userId, input),
);

export const handler = httpHandler({ body: CreateListInput }, async ({ userId, body, event, context }) => {
  const key = idempotencyKey(event);
  const list =
    key === undefined ? await getRuntime().lists.create(userId, body) : await createOnce({ userId, key, input: body }, context);
  metrics.addMetric("ListCreated", MetricUnit.Count, 1);
  return created(list, `/lists/${list.id}`);
});
