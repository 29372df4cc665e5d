import { PatchListInput } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { ifMatchVersion, pathListId } from "../http/request.js";
import { ok } from "../http/responses.js";
import { getRuntime } from "../runtime.js";

export const handler = httpHandler({ body: PatchListInput }, async ({ userId, body, event }) => {
  const expectedVersion = ifMatchVersion(event);
  return ok(
    await getRuntime().lists.patch(userId, pathListId(event), body, {
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    }),
  );
});
