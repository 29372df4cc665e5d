/** `$disconnect`: forget the connection (API Gateway sends it on a best-effort basis; TTL covers the rest). */
import { connectionRepository } from "./live-runtime.js";
import { webSocketHandler } from "./ws-handler.js";

export const handler = webSocketHandler(async ({ userId, connectionId }) => {
  await connectionRepository().remove(userId, connectionId);
});
