/**
 * Opaque list cursors. A cursor carries the last task id of a page and a tag of the user it was
 * issued to. Isolation does not depend on the tag: the partition key is always the caller's own
 * user id, so no cursor can reach another partition, whoever made it. The tag makes misuse
 * visible instead of silently listing from an odd position: a cursor issued to someone else, or
 * anything that does not decode, is a ValidationError (400).
 */
import { createHash } from "node:crypto";
import * as z from "zod";
import { TodoId } from "./contract.js";
import { ValidationError } from "./errors.js";

const CursorPayload = z.strictObject({ after: TodoId, for: z.string() });

function userTag(userId: string): string {
  return createHash("sha256").update(userId).digest("base64url").slice(0, 16);
}

export function encodeCursor(userId: string, afterTodoId: string): string {
  return Buffer.from(JSON.stringify({ after: afterTodoId, for: userTag(userId) }), "utf8").toString("base64url");
}

/** The task id to continue after, if `cursor` is one this API issued to `userId`. */
export function decodeCursor(userId: string, cursor: string): string {
  const invalid = (message = "is not a cursor this API returned") =>
    new ValidationError("Invalid cursor", [{ path: "cursor", message }]);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const parsed = CursorPayload.safeParse(payload);
  if (!parsed.success) throw invalid();
  if (parsed.data.for !== userTag(userId)) throw invalid("was issued to another user");
  return parsed.data.after;
}
