/**
 * `$default`: the clients' keep-alive pings (API Gateway closes a connection idle for 10 minutes).
 * Without a `$default` route API Gateway would answer each ping with a "Forbidden" message; the
 * server sends clients nothing but pokes, so this route takes the ping and answers nothing.
 */
import { webSocketHandler } from "./ws-handler.js";

export const handler = webSocketHandler(async () => undefined);
