import { exportAccount } from "@tasks/core";
import { httpHandler } from "../http-handler.js";
import { json } from "../http/responses.js";
import { getRuntime } from "../runtime.js";

/** Every list and task of the caller, as a JSON download (GDPR art. 20). */
export const handler = httpHandler({}, async ({ userId }) => {
  const { todos, lists } = getRuntime();
  const data = await exportAccount(todos, lists, userId);
  const day = data.exportedAt.slice(0, 10);
  return json(200, data, { "content-disposition": `attachment; filename="tasks-export-${day}.json"` });
});
