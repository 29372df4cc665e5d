/**
 * The HTTP API contract shared by the handlers and the SPA: request and response schemas,
 * limits and error codes. Browser-safe: nothing in here may import the AWS SDK or Node APIs.
 */
import * as z from "zod";

export { PASSWORD_POLICY } from "./password-policy.js";

export const TITLE_MAX_LENGTH = 500;
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

export const TodoId = z.string().regex(ULID_PATTERN, "must be a task id (a ULID)");

/** Length counts code points, so an emoji is one character as a person counts it. */
export const Title = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .refine((title) => [...title].length <= TITLE_MAX_LENGTH, {
    message: `must be at most ${TITLE_MAX_LENGTH} characters`,
  })
  .refine((title) => !CONTROL_CHARACTERS.test(title), {
    message: "must not contain control characters",
  })
  .refine((title) => !LONE_SURROGATE.test(title), {
    message: "must be valid Unicode text (no unpaired surrogates)",
  });

export const Order = z.number().finite().min(-ORDER_BOUND).max(ORDER_BOUND);

export const Todo = z.object({
  id: TodoId,
  title: z.string(),
  completed: z.boolean(),
  order: z.number(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().positive(),
});
export type Todo = z.infer<typeof Todo>;

/** Strict objects: any field the client may not set (id, userId, version, timestamps) is a 400. */
export const CreateTodoInput = z.strictObject({
  title: Title,
  completed: z.boolean().optional(),
  order: Order.optional(),
});
export type CreateTodoInput = z.infer<typeof CreateTodoInput>;

export const PatchTodoInput = z
  .strictObject({
    title: Title.optional(),
    completed: z.boolean().optional(),
    order: Order.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "must change at least one of title, completed, order",
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
});
export type ListTodosQuery = z.output<typeof ListTodosQuery>;

export const ClearCompletedQuery = z.strictObject({
  completed: z.literal("true", { error: 'must be "true": only completed tasks can be cleared' }),
});

export const TodoPage = z.object({
  items: z.array(Todo),
  nextCursor: z.string().nullable(),
});
export type TodoPage = z.infer<typeof TodoPage>;

export const ClearCompletedResult = z.object({ deleted: z.number().int().nonnegative() });
export type ClearCompletedResult = z.infer<typeof ClearCompletedResult>;

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
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
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
