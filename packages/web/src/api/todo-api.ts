/**
 * Typed client for the Tasks HTTP API (README, "API"). Requests are checked against
 * the shared contract before they are sent and every response is validated on the way back.
 */
import {
  ClearCompletedResult,
  CreateTodoInput,
  LIST_LIMIT_MAX,
  PatchTodoInput,
  Todo,
  TodoPage,
  BulkCompleteInput,
  BulkCompleteResult,
  CreateListInput,
  List,
  ListCollection,
  PatchListInput,
} from "@tasks/core/contract";
import * as z from "zod";
import { ApiError, ClientErrorCode, apiErrorFromResponse } from "./api-error";

export interface TodoApiOptions {
  /** Base URL of the API, e.g. https://abc.execute-api.eu-west-1.amazonaws.com */
  baseUrl: string;
  /** Returns a current Cognito ACCESS token (not the ID token). */
  getAccessToken: () => Promise<string>;
  fetch?: typeof fetch;
}

export interface ListOptions {
  limit?: number;
  cursor?: string;
  completed?: boolean;
}

export type TodoApi = ReturnType<typeof createTodoApi>;

/**
 * The export is saved as the server sent it (a JSON object): its exact shape is the server's
 * (core's contract once it has one); the client only refuses what is not a JSON object.
 */
const ExportDocument = z.record(z.string(), z.unknown());

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID exists only in secure contexts; getRandomValues works everywhere.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function createTodoApi(options: TodoApiOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function request<T>(
    method: string,
    path: string,
    schema: z.ZodType<T> | null,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const token = await options.getAccessToken();
    const headers: Record<string, string> = {
      Accept: "application/json",
      Authorization: `Bearer ${token}`,
      ...init.headers,
    };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch {
      // fetch rejects only when no HTTP response arrived (offline, DNS, CORS, connection reset).
      throw new ApiError(0, ClientErrorCode.NETWORK, "Network request failed");
    }
    if (!response.ok) throw await apiErrorFromResponse(response);
    if (schema === null) return undefined as T;
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new ApiError(response.status, ClientErrorCode.BAD_RESPONSE, "The server sent a response that is not JSON");
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(
        response.status,
        ClientErrorCode.BAD_RESPONSE,
        `The server sent an unexpected response: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      );
    }
    return parsed.data;
  }

  const todoPath = (id: string) => `/todos/${encodeURIComponent(id)}`;
  const listPath = (id: string) => `/lists/${encodeURIComponent(id)}`;

  const api = {
    list(query: ListOptions = {}): Promise<TodoPage> {
      const params = new URLSearchParams();
      if (query.limit !== undefined) params.set("limit", String(query.limit));
      if (query.cursor !== undefined) params.set("cursor", query.cursor);
      if (query.completed !== undefined) params.set("completed", String(query.completed));
      const search = params.size > 0 ? `?${params}` : "";
      return request("GET", `/todos${search}`, TodoPage);
    },

    /** Every task of the signed-in user, following `nextCursor` page by page. */
    async listAll(pageSize: number = LIST_LIMIT_MAX): Promise<Todo[]> {
      const todos: Todo[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.list({ limit: pageSize, ...(cursor ? { cursor } : {}) });
        todos.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return todos;
    },

    /** The same idempotency key must be passed again when the same create is retried. */
    async create(input: CreateTodoInput, idempotencyKey: string): Promise<Todo> {
      return request("POST", "/todos", Todo, {
        body: CreateTodoInput.parse(input),
        headers: { "Idempotency-Key": idempotencyKey },
      });
    },

    get(id: string): Promise<Todo> {
      return request("GET", todoPath(id), Todo);
    },

    /** With `ifMatch`, the write only happens if the task is still at that version (else 409). */
    async update(id: string, patch: PatchTodoInput, ifMatch?: number): Promise<Todo> {
      return request("PATCH", todoPath(id), Todo, {
        body: PatchTodoInput.parse(patch),
        ...(ifMatch !== undefined ? { headers: { "If-Match": String(ifMatch) } } : {}),
      });
    },

    remove(id: string): Promise<void> {
      return request("DELETE", todoPath(id), null);
    },

    /**
     * Mark all (in)complete in one request, whatever the number of tasks: only those that change
     * are written. With `listId`, only that list's tasks.
     */
    completeAll(completed: boolean, listId?: string): Promise<BulkCompleteResult> {
      const params = new URLSearchParams(listId ? { listId } : {});
      params.set("completed", String(!completed));
      return request("PATCH", `/todos?${params}`, BulkCompleteResult, {
        body: BulkCompleteInput.parse({ completed }),
      });
    },

    clearCompleted(): Promise<ClearCompletedResult> {
      return request("DELETE", "/todos?completed=true", ClearCompletedResult);
    },

    async lists(): Promise<List[]> {
      return (await request("GET", "/lists", ListCollection)).items;
    },

    async createList(input: CreateListInput, idempotencyKey: string): Promise<List> {
      return request("POST", "/lists", List, {
        body: CreateListInput.parse(input),
        headers: { "Idempotency-Key": idempotencyKey },
      });
    },

    async updateList(id: string, patch: PatchListInput, ifMatch?: number): Promise<List> {
      return request("PATCH", listPath(id), List, {
        body: PatchListInput.parse(patch),
        ...(ifMatch !== undefined ? { headers: { "If-Match": String(ifMatch) } } : {}),
      });
    },

    removeList(id: string): Promise<void> {
      return request("DELETE", listPath(id), null);
    },

    /** GET /export (DESIGN.md, "Account"): every list and task of the caller, as the server words it. */
    exportData(): Promise<Record<string, unknown>> {
      return request("GET", "/export", ExportDocument);
    },

    /** DELETE /account: every item of the caller and the Cognito user; the tokens stop working. */
    deleteAccount(): Promise<void> {
      return request("DELETE", "/account", null);
    },
  };
  return api;
}
