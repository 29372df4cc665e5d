import { httpHandler, outOfTime } from "../http-handler.js";
import { noContent } from "../http/responses.js";
import { metrics, MetricUnit } from "../observability.js";
import { accountCloser } from "./account-runtime.js";

/**
 * 204 once every item of the caller, their connections and their Cognito user are gone (GDPR
 * art. 17). Cut short by the function's deadline it answers 503 with Retry-After, keeping what it
 * deleted; the retry, with the same token (a closed account may still call this route), finishes.
 */
export const handler = httpHandler({ allowClosedAccount: true }, async ({ userId, closedAt, event, context }) => {
  // The access token's `username` is the pool's name for the user (a UUID for email sign-in pools).
  const username = String(event.requestContext.authorizer.jwt.claims.username ?? userId);
  const { deletedItems } = await accountCloser().close(userId, username, { outOfTime: outOfTime(context), ...(closedAt ? { closedAt } : {}) });
  metrics.addMetric("AccountDeleted", MetricUnit.Count, 1);
  metrics.addMetric("AccountItemsDeleted", MetricUnit.Count, deletedItems);
  return noContent();
});
