/** `$connect` (after the authorizer allowed it): remember the connection until its token expires. */
import { connectionRepository } from "./live-runtime.js";
import { webSocketHandler } from "./ws-handler.js";

export const handler = webSocketHandler(async ({ userId, connectionId, expiresAt }) => {
  await connectionRepository().add({ userId, connectionId, expiresAt, connectedAt: new Date().toISOString() });
});
