/**
 * Opaque cursors, bound to the user they were issued to. A cursor is a small JSON payload plus a
 * tag of the user. Isolation does not depend on the tag: the partition key is always the caller's
 * own user id, so no cursor can reach another partition, whoever made it. The tag makes misuse
 * visible instead of silently reading from an odd position: a cursor issued to someone else, or
 * anything that does not decode, is a ValidationError (400).
 *
 * Two kinds use it: list pages (`after` a task id) and sync positions (sync-log.ts).
 */
import { createHash } from "node:crypto";
import * as z from "zod";
import { TodoId } from "./contract.js";
import { ValidationError } from "./errors.js";

function userTag(userId: string): string {
  return createHash("sha256").update(userId).digest("base64url").slice(0, 16);
}

export function encodeTaggedCursor(userId: string, payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ ...payload, for: userTag(userId) }), "utf8").toString("base64url");
}

/** The payload of `cursor` (without its tag), if it is one this API issued to `userId`. */
export function decodeTaggedCursor<T extends z.ZodRawShape>(
  userId: string,
  cursor: string,
  shape: T,
  field = "cursor",
): z.infer<z.ZodObject<T>> {
  const invalid = (message = "is not a cursor this API returned") =>
    new ValidationError("Invalid cursor", [{ path: field, message }]);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const parsed = z.strictObject({ ...shape, for: z.string() }).safeParse(payload);
  if (!parsed.success) throw invalid();
  const { for: tag, ...rest } = parsed.data as { for: string } & Record<string, unknown>;
  if (tag !== userTag(userId)) throw invalid("was issued to another user");
  return rest as z.infer<z.ZodObject<T>>;
}

export function encodeCursor(userId: string, afterTodoId: string): string {
  return encodeTaggedCursor(userId, { after: afterTodoId });
}

/** The task id to continue after, if `cursor` is one this API issued to `userId`. */
export function decodeCursor(userId: string, cursor: string): string {
  return decodeTaggedCursor(userId, cursor, { after: TodoId }).after;
}
