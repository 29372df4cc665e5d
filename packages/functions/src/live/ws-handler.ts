/**
 * The one wrapper of the WebSocket route handlers, as http-handler.ts is for the HTTP API: logging
 * context, the connection's user from the authorizer's context, and an answer API Gateway
 * understands (2xx opens the connection on $connect; anything thrown is logged and answered 500).
 */
import type { Context } from "aws-lambda";
import { logger } from "../observability.js";
import type { WebSocketRouteEvent, WebSocketRouteResult } from "./ws-events.js";

export interface ConnectionRequest {
  userId: string;
  connectionId: string;
  /** Epoch seconds: when the token that opened the connection expires. */
  expiresAt: number;
  event: WebSocketRouteEvent;
}

export function webSocketHandler(handle: (request: ConnectionRequest) => Promise<void>) {
  return async (event: WebSocketRouteEvent, context: Context): Promise<WebSocketRouteResult> => {
    const { connectionId, routeKey, requestId } = event.requestContext;
    logger.addContext(context);
    logger.appendKeys({ requestId, route: routeKey, connectionId });
    try {
      const userId = event.requestContext.authorizer?.userId;
      const expiresAt = Number(event.requestContext.authorizer?.expiresAt);
      // Only the $connect authorizer puts these here; a route without them was not authorised.
      if (!userId || !Number.isFinite(expiresAt)) throw new Error("The connection carries no authorizer context");
      logger.appendKeys({ userId });
      await handle({ userId, connectionId, expiresAt, event });
      logger.info("connection event", { statusCode: 200 });
      return { statusCode: 200 };
    } catch (error) {
      logger.error("connection event failed", { error: error as Error });
      return { statusCode: 500 };
    } finally {
      logger.resetKeys();
    }
  };
}
