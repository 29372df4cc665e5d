import { httpHandler } from "../http-handler.js";
import { ok } from "../http/responses.js";
import { getRuntime } from "../runtime.js";

export const handler = httpHandler({}, async ({ userId }) => ok({ items: await getRuntime().lists.all(userId) }));
