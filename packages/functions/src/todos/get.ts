import { httpHandler } from "../http-handler.js";
import { pathTodoId } from "../http/request.js";
import { ok } from "../http/responses.js";
import { getRuntime } from "../runtime.js";

export const handler = httpHandler({}, async ({ userId, event }) =>
  ok(await getRuntime().todos.get(userId, pathTodoId(event))),
);
