import { ListTodosQuery } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { ok } from "../http/responses.js";
import { getRuntime } from "../runtime.js";

export const handler = httpHandler({ query: ListTodosQuery }, async ({ userId, query }) =>
  ok(await getRuntime().todos.list(userId, query)),
);
