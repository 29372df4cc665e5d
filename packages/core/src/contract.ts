/**
 * The HTTP API contract shared by the handlers and the SPA: request and response schemas,
 * limits and error codes. Browser-safe: nothing in here may import the AWS SDK or Node APIs.
 */
import * as z from "zod";

export { PASSWORD_POLICY } from "./password-policy.js";

export const TITLE_MAX_LENGTH = 500;
export const LIST_NAME_MAX_LENGTH = 100;
export const NOTES_MAX_LENGTH = 4_000;
/** Lists per user, the default list included. */
export const MAX_LISTS_PER_USER = 100;
/** The list every user has without creating it; every v1 task is in it. */
export const DEFAULT_LIST_ID = "default";
export const DEFAULT_LIST_NAME = "Tasks";
export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 100;
export const MAX_BODY_BYTES = 16 * 1024;
/** Bounds on `order` keep it exactly representable in DynamoDB and JSON. */
export const ORDER_BOUND = 1e15;

const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
// C0/C1 control characters have no place in a one-line title (and break terminals and logs).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/;
// In unicode mode a well-formed surrogate pair is one code point, so this matches only a lone
// surrogate: JSON can carry one ("\ud800"), but UTF-8 cannot, and it would be stored as U+FFFD.
const LONE_SURROGATE = /\p{Surrogate}/u;
// Notes may span lines; every other control character is refused as in titles.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS_BUT_NEWLINES = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const DUE_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export const TodoId = z.string().regex(ULID_PATTERN, "must be a task id (a ULID)");

/** `default`, or the ULID the API gave a created list. */
export const ListId = z
  .string()
  .refine((id) => id === DEFAULT_LIST_ID || ULID_PATTERN.test(id), { message: 'must be a list id ("default" or a ULID)' });

/** One line of text, trimmed; length counts code points, so an emoji is one character as a person counts it. */
function lineOfText(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, "must not be empty")
    .refine((text) => [...text].length <= maxLength, { message: `must be at most ${maxLength} characters` })
    .refine((text) => !CONTROL_CHARACTERS.test(text), { message: "must not contain control characters" })
    .refine((text) => !LONE_SURROGATE.test(text), { message: "must be valid Unicode text (no unpaired surrogates)" });
}

export const Title = lineOfText(TITLE_MAX_LENGTH);
export const ListName = lineOfText(LIST_NAME_MAX_LENGTH);

/** Stored verbatim (not trimmed); may be empty; newlines (LF, CR) allowed. */
export const Notes = z
  .string()
  .refine((notes) => [...notes].length <= NOTES_MAX_LENGTH, { message: `must be at most ${NOTES_MAX_LENGTH} characters` })
  .refine((notes) => !CONTROL_CHARACTERS_BUT_NEWLINES.test(notes), {
    message: "must not contain control characters other than newlines",
  })
  .refine((notes) => !LONE_SURROGATE.test(notes), { message: "must be valid Unicode text (no unpaired surrogates)" });

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30), years 2000–2999. */
export const DueDate = z.string().refine(isCalendarDate, { message: "must be a real date YYYY-MM-DD, years 2000-2999" });

function isCalendarDate(value: string): boolean {
  const match = DUE_DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 2000 || year > 2999) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const Order = z.number().finite().min(-ORDER_BOUND).max(ORDER_BOUND);

export const Todo = z.object({
  id: TodoId,
  title: z.string(),
  completed: z.boolean(),
  order: z.number(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().positive(),
  // v2 fields. The defaults let a client read a v1 server's answers too.
  listId: z.string().default(DEFAULT_LIST_ID),
  notes: z.string().default(""),
  due: z.string().nullable().default(null),
  completedAt: z.iso.datetime().nullable().default(null),
});
export type Todo = z.infer<typeof Todo>;

/** Strict objects: any field the client may not set (id, userId, version, timestamps) is a 400. */
export const CreateTodoInput = z.strictObject({
  title: Title,
  completed: z.boolean().optional(),
  order: Order.optional(),
  listId: ListId.optional(),
  notes: Notes.optional(),
  due: DueDate.nullable().optional(),
});
export type CreateTodoInput = z.infer<typeof CreateTodoInput>;

export const PatchTodoInput = z
  .strictObject({
    title: Title.optional(),
    completed: z.boolean().optional(),
    order: Order.optional(),
    listId: ListId.optional(),
    notes: Notes.optional(),
    /** `null` clears the due date. */
    due: DueDate.nullable().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "must change at least one of title, completed, order, listId, notes, due",
  });
export type PatchTodoInput = z.infer<typeof PatchTodoInput>;

const BooleanQueryParameter = z.enum(["true", "false"]).transform((value) => value === "true");

export const ListTodosQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1).max(LIST_LIMIT_MAX))
    .default(LIST_LIMIT_DEFAULT),
  cursor: z.string().min(1).max(512).optional(),
  completed: BooleanQueryParameter.optional(),
  listId: ListId.optional(),
});
export type ListTodosQuery = z.output<typeof ListTodosQuery>;

/** PATCH /todos — mark all (in)complete: both filters optional. */
export const BulkCompleteQuery = z.strictObject({
  listId: ListId.optional(),
  completed: BooleanQueryParameter.optional(),
});
export type BulkCompleteQuery = z.output<typeof BulkCompleteQuery>;

export const BulkCompleteInput = z.strictObject({ completed: z.boolean() });
export type BulkCompleteInput = z.infer<typeof BulkCompleteInput>;

export const BulkCompleteResult = z.object({ updated: z.number().int().nonnegative() });
export type BulkCompleteResult = z.infer<typeof BulkCompleteResult>;

export const List = z.object({
  id: ListId,
  name: z.string(),
  position: z.number(),
  isDefault: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().positive(),
});
export type List = z.infer<typeof List>;

export const CreateListInput = z.strictObject({
  name: ListName,
  position: Order.optional(),
});
export type CreateListInput = z.infer<typeof CreateListInput>;

export const PatchListInput = z
  .strictObject({
    name: ListName.optional(),
    position: Order.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "must change at least one of name, position",
  });
export type PatchListInput = z.infer<typeof PatchListInput>;

/** GET /export: every list and task of the caller, as the API shows them. */
export const AccountExport = z.object({
  exportedAt: z.iso.datetime(),
  lists: z.array(List),
  todos: z.array(Todo),
});
export type AccountExport = z.infer<typeof AccountExport>;

export const ListCollection = z.object({ items: z.array(List) });
export type ListCollection = z.infer<typeof ListCollection>;

export const ClearCompletedQuery = z.strictObject({
  completed: z.literal("true", { error: 'must be "true": only completed tasks can be cleared' }),
  /** Only this list's completed tasks (v2); without it, every list's, as in v1. */
  listId: ListId.optional(),
});

export const TodoPage = z.object({
  items: z.array(Todo),
  nextCursor: z.string().nullable(),
});
export type TodoPage = z.infer<typeof TodoPage>;

export const ClearCompletedResult = z.object({ deleted: z.number().int().nonnegative() });
export type ClearCompletedResult = z.infer<typeof ClearCompletedResult>;

/** `GET /sync[?since=]` (DESIGN.md, "Sync (pull)"): a snapshot, then the changes after a cursor. */
export const SyncQuery = z.strictObject({ since: z.string().min(1).optional() });
export type SyncQuery = z.output<typeof SyncQuery>;

export const SyncChange = z.discriminatedUnion("deleted", [
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("todo"), id: z.string(), deleted: z.literal(false), item: Todo }),
    z.object({ kind: z.literal("list"), id: z.string(), deleted: z.literal(false), item: List }),
  ]),
  z.object({ kind: z.enum(["todo", "list"]), id: z.string(), deleted: z.literal(true) }),
]);
export type SyncChange = z.infer<typeof SyncChange>;

export const SyncPage = z.object({
  changes: z.array(SyncChange),
  cursor: z.string(),
  hasMore: z.boolean(),
});
export type SyncPage = z.infer<typeof SyncPage>;

/** What the live socket sends: a poke naming a position, never task data. */
export const SyncPoke = z.strictObject({ type: z.literal("sync"), cursor: z.string() });
export type SyncPoke = z.infer<typeof SyncPoke>;

export const ErrorCode = {
  VALIDATION_FAILED: "VALIDATION_FAILED",
  UNAUTHORIZED: "UNAUTHORIZED",
  NOT_FOUND: "NOT_FOUND",
  VERSION_CONFLICT: "VERSION_CONFLICT",
  REQUEST_IN_PROGRESS: "REQUEST_IN_PROGRESS",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  TOO_MANY_TODOS: "TOO_MANY_TODOS",
  TOO_MANY_LISTS: "TOO_MANY_LISTS",
  DEFAULT_LIST: "DEFAULT_LIST",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  CURSOR_EXPIRED: "CURSOR_EXPIRED",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ErrorDetail = z.object({ path: z.string(), message: z.string() });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(ErrorDetail).optional(),
    requestId: z.string().optional(),
    currentVersion: z.number().int().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
