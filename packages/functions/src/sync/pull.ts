import { SyncQuery } from "@tasks/core/contract";
import { httpHandler } from "../http-handler.js";
import { ok } from "../http/responses.js";
import { getRuntime } from "../runtime.js";

/** A snapshot without `since`, else the changes after it (core/src/sync-reader.ts). */
export const handler = httpHandler({ query: SyncQuery }, async ({ userId, query }) =>
  ok(await getRuntime().sync.read(userId, query.since)),
);
