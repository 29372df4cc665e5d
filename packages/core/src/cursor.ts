/**
 * Opaque list cursors. A cursor carries only the last task id of a page; the partition key is
 * always the caller's own user id, so a cursor can never reach another user's partition, whoever
 * made it. Anything that does not decode to a task id is a ValidationError.
 */
import * as z from "zod";
import { TodoId } from "./contract.js";
import { ValidationError } from "./errors.js";

const CursorPayload = z.strictObject({ after: TodoId });

export function encodeCursor(afterTodoId: string): string {
  return Buffer.from(JSON.stringify({ after: afterTodoId }), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): string {
  const invalid = () =>
    new ValidationError("Invalid cursor", [{ path: "cursor", message: "is not a cursor this API returned" }]);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const parsed = CursorPayload.safeParse(payload);
  if (!parsed.success) throw invalid();
  return parsed.data.after;
}
