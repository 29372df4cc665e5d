/**
 * What OpenAPI says about each route of routes.ts, keyed by its route key: the schemas of the
 * contract it reads and answers, its success status, headers and the error codes it can answer.
 * document.ts turns this into docs/openapi.json; test/openapi.test.ts keeps the two tables and
 * the handlers' real answers in step with it.
 */
import {
  AccountExport,
  BulkCompleteInput,
  BulkCompleteQuery,
  BulkCompleteResult,
  ClearCompletedQuery,
  ClearCompletedResult,
  CreateListInput,
  CreateTodoInput,
  LIST_LIMIT_DEFAULT,
  LIST_LIMIT_MAX,
  List,
  ListCollection,
  ListId,
  ListTodosQuery,
  MAX_BODY_BYTES,
  PatchListInput,
  PatchTodoInput,
  SyncPage,
  SyncQuery,
  Todo,
  TodoId,
  TodoPage,
  type ErrorCode,
} from "@tasks/core/contract";
import type { z } from "zod";
import type { routes } from "../routes.js";

type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;
/** The route keys of routes.ts, so that the compiler too holds operations to exactly these routes. */
export type RouteKey = KeyOf<(typeof routes)[number]>;

/** A request header the handler reads (request.ts): `Idempotency-Key` or `If-Match`. */
export type RequestHeader = "Idempotency-Key" | "If-Match";

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tag: "Tasks" | "Lists" | "Sync" | "Account";
  /** The query schema the handler validates with, and what each parameter means. */
  query?: { schema: z.ZodType; parameters: Record<string, string> };
  body?: z.ZodType;
  headers?: readonly RequestHeader[];
  success: { status: 200 | 201 | 204; description: string; schema?: z.ZodType; location?: string; attachment?: string };
  /** Beyond those every route can answer (COMMON_ERRORS). */
  errors: readonly ErrorCode[];
}

/** Each error code's status and when the API answers it (the README's error table). */
export const ERROR_CODES: Record<ErrorCode, { status: number; when: string }> = {
  VALIDATION_FAILED: {
    status: 400,
    when: "Bad JSON, wrong type, unknown field or a field the client may not set, bad id or list id, date, cursor, limit, query parameter or header; `details` lists each problem.",
  },
  UNAUTHORIZED: { status: 401, when: "No, invalid or expired token, wrong issuer or client, an ID token." },
  NOT_FOUND: {
    status: 404,
    when: "No such task or list — also when it is another user's (never 403), in a path, a query (`?listId=`) or a body (`listId`).",
  },
  VERSION_CONFLICT: { status: 409, when: "`If-Match` is not the current version (`currentVersion` says which is)." },
  REQUEST_IN_PROGRESS: { status: 409, when: "The same `Idempotency-Key` is still being processed (`Retry-After`)." },
  TOO_MANY_TODOS: { status: 409, when: "The per-user cap of tasks (10 000 by default) is reached." },
  TOO_MANY_LISTS: { status: 409, when: "The user has 100 lists, the default one included." },
  DEFAULT_LIST: { status: 409, when: "The default list cannot be deleted." },
  PAYLOAD_TOO_LARGE: { status: 413, when: `The body is over ${MAX_BODY_BYTES / 1024} KiB.` },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: "A body that is not `application/json`." },
  IDEMPOTENCY_KEY_REUSED: { status: 422, when: "The same `Idempotency-Key` with a different body." },
  CURSOR_EXPIRED: {
    status: 410,
    when: "`GET /sync?since=` with a cursor older than the sync log keeps (7 days): start over without `since`.",
  },
  TOO_MANY_REQUESTS: {
    status: 429,
    when: "Over the caller's fair share of requests, counted per user in fixed windows (docs/capacity.md, \"Fair share\"); `Retry-After` says when the window ends.",
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    when: "DynamoDB unreachable, timing out or throttling, or a long operation not finished before the function's deadline (what it wrote is kept; a retry finishes). `Retry-After` says when to retry.",
  },
  INTERNAL: { status: 500, when: "Anything else: the request id only, never a stack." },
};

/** Codes whose answer carries `Retry-After`. */
export const RETRY_AFTER_CODES: readonly ErrorCode[] = ["REQUEST_IN_PROGRESS", "SERVICE_UNAVAILABLE", "TOO_MANY_REQUESTS"];

/** Every route: the wrapper's identity check and rate limit (http-handler.ts), its error mapping and its deadline. */
export const COMMON_ERRORS: readonly ErrorCode[] = ["UNAUTHORIZED", "TOO_MANY_REQUESTS", "SERVICE_UNAVAILABLE", "INTERNAL"];

/** A route that reads a JSON body: parseJsonBody and assertBodySize (request.ts). */
const BODY_ERRORS = ["VALIDATION_FAILED", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"] as const satisfies readonly ErrorCode[];

/** The schema and meaning of each path parameter (request.ts: pathTodoId, pathListId). */
export const PATH_PARAMETERS: Record<string, { schema: z.ZodType; description: string }> = {
  id: { schema: TodoId, description: "The task's id (a ULID)." },
  listId: { schema: ListId, description: 'The list\'s id: `"default"` or the ULID the API gave it.' },
};

export const REQUEST_HEADERS: Record<RequestHeader, { description: string; schema: Record<string, unknown> }> = {
  "Idempotency-Key": {
    description:
      "Optional. Retrying with the same key and body answers the first request's result instead of creating again; the same key with another body is a 422, while the first is still running a 409 `REQUEST_IN_PROGRESS`. 1 to 128 visible ASCII characters.",
    schema: { type: "string", minLength: 1, maxLength: 128 },
  },
  "If-Match": {
    description: 'Optional. The version the change is based on (`3` or `"3"`); another current version is a 409 `VERSION_CONFLICT`.',
    schema: { type: "string" },
  },
};

const COMPLETED_FILTER = "`true` or `false`: only completed, or only open, tasks.";
const LIST_FILTER = "Only the tasks of this list (unknown or another user's: 404).";

export const operations: Record<RouteKey, Operation> = {
  "GET /todos": {
    operationId: "listTodos",
    summary: "List tasks, a page at a time",
    description: "Tasks in `order`; unknown query parameters are a 400.",
    tag: "Tasks",
    query: {
      schema: ListTodosQuery,
      parameters: {
        limit: `Page size, 1 to ${LIST_LIMIT_MAX} (default ${LIST_LIMIT_DEFAULT}).`,
        cursor: "The previous page's `nextCursor` (opaque).",
        completed: COMPLETED_FILTER,
        listId: LIST_FILTER,
      },
    },
    success: { status: 200, description: "A page of tasks; `nextCursor` is null on the last one.", schema: TodoPage },
    errors: ["VALIDATION_FAILED", "NOT_FOUND"],
  },
  "POST /todos": {
    operationId: "createTodo",
    summary: "Create a task",
    description: "In the default list unless `listId` names another of the caller's lists.",
    tag: "Tasks",
    body: CreateTodoInput,
    headers: ["Idempotency-Key"],
    success: { status: 201, description: "The task created.", schema: Todo, location: "/todos/{id}" },
    errors: [...BODY_ERRORS, "NOT_FOUND", "REQUEST_IN_PROGRESS", "TOO_MANY_TODOS", "IDEMPOTENCY_KEY_REUSED"],
  },
  "PATCH /todos": {
    operationId: "completeAllTodos",
    summary: "Mark all tasks complete or incomplete",
    description: "One request for any number of tasks; `?listId=` and `?completed=` narrow it.",
    tag: "Tasks",
    query: { schema: BulkCompleteQuery, parameters: { listId: LIST_FILTER, completed: COMPLETED_FILTER } },
    body: BulkCompleteInput,
    success: { status: 200, description: "How many tasks changed.", schema: BulkCompleteResult },
    errors: [...BODY_ERRORS, "NOT_FOUND"],
  },
  "DELETE /todos": {
    operationId: "clearCompletedTodos",
    summary: "Delete the completed tasks (of one list, or of every list)",
    tag: "Tasks",
    query: {
      schema: ClearCompletedQuery,
      parameters: { completed: "Required, `true`: only completed tasks can be cleared.", listId: `${LIST_FILTER} Without it, every list's.` },
    },
    success: { status: 200, description: "How many tasks were deleted.", schema: ClearCompletedResult },
    errors: ["VALIDATION_FAILED", "NOT_FOUND"],
  },
  "GET /todos/{id}": {
    operationId: "getTodo",
    summary: "Read a task",
    tag: "Tasks",
    success: { status: 200, description: "The task.", schema: Todo },
    errors: ["VALIDATION_FAILED", "NOT_FOUND"],
  },
  "PATCH /todos/{id}": {
    operationId: "updateTodo",
    summary: "Change a task",
    description: "Any of its fields; `due: null` clears the due date, a new `listId` moves the task.",
    tag: "Tasks",
    body: PatchTodoInput,
    headers: ["If-Match"],
    success: { status: 200, description: "The task as changed.", schema: Todo },
    errors: [...BODY_ERRORS, "NOT_FOUND", "VERSION_CONFLICT"],
  },
  "DELETE /todos/{id}": {
    operationId: "deleteTodo",
    summary: "Delete a task",
    tag: "Tasks",
    headers: ["If-Match"],
    success: { status: 204, description: "Deleted." },
    errors: ["VALIDATION_FAILED", "NOT_FOUND", "VERSION_CONFLICT"],
  },
  "GET /lists": {
    operationId: "listLists",
    summary: "Every list of the caller",
    description: "By `position`, the default list included.",
    tag: "Lists",
    success: { status: 200, description: "The caller's lists.", schema: ListCollection },
    errors: [],
  },
  "POST /lists": {
    operationId: "createList",
    summary: "Create a list",
    tag: "Lists",
    body: CreateListInput,
    headers: ["Idempotency-Key"],
    success: { status: 201, description: "The list created.", schema: List, location: "/lists/{id}" },
    errors: [...BODY_ERRORS, "REQUEST_IN_PROGRESS", "TOO_MANY_LISTS", "IDEMPOTENCY_KEY_REUSED"],
  },
  "PATCH /lists/{listId}": {
    operationId: "updateList",
    summary: "Rename or move a list",
    tag: "Lists",
    body: PatchListInput,
    headers: ["If-Match"],
    success: { status: 200, description: "The list as changed.", schema: List },
    errors: [...BODY_ERRORS, "NOT_FOUND", "VERSION_CONFLICT"],
  },
  "DELETE /lists/{listId}": {
    operationId: "deleteList",
    summary: "Delete a list and every task in it",
    description: "The default list cannot be deleted (409 `DEFAULT_LIST`). A purge cut short by the function's deadline is finished by the next DELETE.",
    tag: "Lists",
    success: { status: 204, description: "Deleted: none of its tasks is shown from now on." },
    errors: ["VALIDATION_FAILED", "NOT_FOUND", "DEFAULT_LIST"],
  },
  "GET /sync": {
    operationId: "sync",
    summary: "A snapshot of every list and task, or the changes after a cursor",
    description:
      "Without `since`: every live list, then every live task, a page at a time. With `since`: every change after it, deletes included (a deleted list also reports its tasks' deletes), as the items are now. Follow `cursor` while `hasMore`; afterwards keep the last `cursor` for the next pull (on a live poke, on focus). The cursor never moves past 30 s ago, so a change may be sent again: apply changes idempotently, in order.",
    tag: "Sync",
    query: {
      schema: SyncQuery,
      parameters: { since: "The `cursor` of an earlier answer, or of a live poke (opaque). Absent: a snapshot." },
    },
    success: { status: 200, description: "A page of changes.", schema: SyncPage },
    errors: ["VALIDATION_FAILED", "CURSOR_EXPIRED"],
  },
  "GET /export": {
    operationId: "exportAccount",
    summary: "Export every list and task of the caller",
    description: "One JSON document (a download: `Content-Disposition: attachment`), the lists and tasks as the other routes show them.",
    tag: "Account",
    success: { status: 200, description: "Everything of the caller.", schema: AccountExport, attachment: "tasks-export-<date>.json" },
    errors: [],
  },
  "DELETE /account": {
    operationId: "deleteAccount",
    summary: "Delete the caller's account and everything in it",
    description:
      "Deletes every task and list of the caller, their live connections and their Cognito user. From the first call on, the caller's tokens get 401 on every other route; the same email can sign up again and starts empty. Cut short by the function's deadline it answers 503 with `Retry-After`, keeping what it deleted: call again with the same token (this route still accepts it) to finish. Not deleted by it, because they expire by themselves: idempotency records (24 h) and the rate limit's counters (one token lifetime, 1 h).",
    tag: "Account",
    success: { status: 204, description: "Deleted: the account, its data and its Cognito user are gone." },
    errors: [],
  },
};
