/**
 * The Tasks HTTP API (README, "API") at the fetch boundary, for msw: per-user task lists
 * keyed by the token's `sub`, cursor pages, Idempotency-Key, If-Match. Requests are validated with
 * the same contract schemas as the real handlers, so a client sending a bad body fails the test.
 * `loseAnswers` simulates a connection that drops after the service has done the work: the
 * request is processed and stored, and the client gets a network error instead of the answer.
 */
import {
  BulkCompleteInput,
  BulkCompleteQuery,
  CreateListInput,
  CreateTodoInput,
  DEFAULT_LIST_ID,
  DEFAULT_LIST_NAME,
  LIST_LIMIT_DEFAULT,
  PatchListInput,
  PatchTodoInput,
  type List,
  type SyncChange,
  type Todo,
} from "@tasks/core/contract";
import { http, HttpResponse } from "msw";
import { jwtPayload } from "./jwt";

export const API_URL = "http://api.test";

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: unknown;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const errorBody = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
  HttpResponse.json({ error: { code, message, ...extra } }, { status });

export function createTasksApiService() {
  const lists = new Map<string, Todo[]>();
  /** The user's lists other than the default one, which every user has without creating it. */
  const userLists = new Map<string, List[]>();
  const defaultLists = new Map<string, List>();
  const idempotency = new Map<string, Todo | List>();
  const deletedAccounts = new Set<string>();
  const requests: RecordedRequest[] = [];
  /** How many answers to drop, by "METHOD /path" (msw's path pattern). */
  const answersToLose = new Map<string, number>();
  let counter = 0;

  /** 26 Crockford characters that sort in creation order, like a ULID. */
  function nextId(): string {
    let n = ++counter;
    let digits = "";
    do {
      digits = CROCKFORD[n % 32] + digits;
      n = Math.floor(n / 32);
    } while (n > 0);
    return `01J${digits.padStart(23, "0")}`;
  }

  const listOf = (userId: string) => {
    let list = lists.get(userId);
    if (!list) lists.set(userId, (list = []));
    return list;
  };

  function newTodo(title: string, completed = false, fields: Partial<Todo> = {}): Todo {
    const now = new Date().toISOString();
    return { id: nextId(), title, completed, order: Date.now() + counter, createdAt: now, updatedAt: now, version: 1, listId: DEFAULT_LIST_ID, notes: "", due: null, completedAt: completed ? now : null, ...fields };
  }

  function defaultListOf(userId: string): List {
    let list = defaultLists.get(userId);
    if (!list) {
      const at = new Date(0).toISOString();
      defaultLists.set(userId, (list = { id: DEFAULT_LIST_ID, name: DEFAULT_LIST_NAME, position: 0, isDefault: true, createdAt: at, updatedAt: at, version: 1 }));
    }
    return list;
  }
  const allListsOf = (userId: string): List[] => [defaultListOf(userId), ...(userLists.get(userId) ?? [])];
  const findList = (userId: string, id: string) => allListsOf(userId).find((list) => list.id === id);
  const notFound = () => errorBody(404, "NOT_FOUND", "Not found");

  /** 401 like the API Gateway JWT authorizer, else the caller's user id (the access token's sub). */
  function authorize(request: Request): string | Response {
    const header = request.headers.get("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7) : "";
    try {
      const claims = jwtPayload(token);
      if (claims.token_use !== "access" || typeof claims.sub !== "string") throw new Error("not an access token");
      if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) throw new Error("expired");
      if (deletedAccounts.has(claims.sub)) throw new Error("the account is deleted");
      return claims.sub;
    } catch {
      return HttpResponse.json({ message: "Unauthorized" }, { status: 401 });
    }
  }

  async function record(request: Request) {
    const url = new URL(request.url);
    const text = await request.clone().text();
    requests.push({
      method: request.method,
      path: url.pathname,
      search: url.search,
      headers: request.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    });
  }

  /** The answer, or a network error once the work is done when an answer is to be lost. */
  function lossy<A extends { request: Request }>(method: string, path: string, resolve: (args: A) => Promise<Response>) {
    return async (args: A): Promise<Response> => {
      const response = await resolve(args);
      const route = `${method} ${path}`;
      const lose = answersToLose.get(route) ?? 0;
      if (lose === 0) return response;
      answersToLose.set(route, lose - 1);
      return HttpResponse.error();
    };
  }

  /**
   * GET /sync to the contract, as simply as it can be true: every answer re-sends every item the
   * user has (the contract lets a server send a change again; the client is idempotent), and a
   * cursor names the items it had seen, so an item gone since comes as a deletion.
   */
  function syncPage(userId: string, since: string | null): Response {
    const seen: string[] = since ? (JSON.parse(atob(since)) as string[]) : [];
    const items: SyncChange[] = [
      ...allListsOf(userId).map((item) => ({ kind: "list" as const, id: item.id, deleted: false as const, item })),
      ...listOf(userId).map((item) => ({ kind: "todo" as const, id: item.id, deleted: false as const, item })),
    ];
    const now = new Set(items.map((change) => `${change.kind}:${change.id}`));
    const gone = seen.filter((key) => !now.has(key)).map((key) => {
      const [kind, id] = key.split(":") as ["todo" | "list", string];
      return { kind, id, deleted: true as const };
    });
    return HttpResponse.json({ changes: structuredClone([...gone, ...items]), cursor: btoa(JSON.stringify([...now])), hasMore: false });
  }

  const handlers = [
    http.get(`${API_URL}/todos/:id`, async ({ request, params }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      const todo = listOf(userId).find((candidate) => candidate.id === params.id);
      return todo ? HttpResponse.json(todo) : notFound();
    }),
    http.get(`${API_URL}/sync`, async ({ request }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      return syncPage(userId, new URL(request.url).searchParams.get("since"));
    }),
    http.get(`${API_URL}/todos`, async ({ request }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      const url = new URL(request.url);
      const limit = Number(url.searchParams.get("limit") ?? LIST_LIMIT_DEFAULT);
      const cursor = url.searchParams.get("cursor");
      const completed = url.searchParams.get("completed");
      const listId = url.searchParams.get("listId");
      if (listId !== null && !findList(userId, listId)) return notFound();
      let items = listOf(userId).filter(
        (todo) => (completed === null || String(todo.completed) === completed) && (listId === null || todo.listId === listId),
      );
      if (cursor) items = items.filter((todo) => todo.id > atob(cursor));
      const page = items.slice(0, limit);
      const more = items.length > limit;
      return HttpResponse.json({ items: page, nextCursor: more ? btoa(page[page.length - 1]!.id) : null });
    }),

    http.post(`${API_URL}/todos`, lossy("POST", "/todos", async ({ request }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      const input = CreateTodoInput.safeParse(await request.json());
      if (!input.success) return errorBody(400, "VALIDATION_FAILED", input.error.issues[0]!.message);
      const key = request.headers.get("idempotency-key");
      const remembered = key ? idempotency.get(`${userId}:${key}`) : undefined;
      if (remembered) return HttpResponse.json(remembered, { status: 201 });
      const { title, completed, ...fields } = input.data;
      if (fields.listId !== undefined && !findList(userId, fields.listId)) return notFound();
      const todo = newTodo(title, completed, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
      listOf(userId).push(todo);
      if (key) idempotency.set(`${userId}:${key}`, todo);
      return HttpResponse.json(todo, { status: 201, headers: { Location: `/todos/${todo.id}` } });
    })),

    http.patch(`${API_URL}/todos/:id`, async ({ request, params }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      const todo = listOf(userId).find((t) => t.id === params.id);
      if (!todo) return errorBody(404, "NOT_FOUND", "Task not found");
      const patch = PatchTodoInput.safeParse(await request.json());
      if (!patch.success) return errorBody(400, "VALIDATION_FAILED", patch.error.issues[0]!.message);
      const ifMatch = request.headers.get("if-match");
      if (ifMatch !== null && Number(ifMatch) !== todo.version) {
        return errorBody(409, "VERSION_CONFLICT", "The task has changed", { currentVersion: todo.version });
      }
      if (patch.data.listId !== undefined && !findList(userId, patch.data.listId)) return notFound();
      const now = new Date().toISOString();
      const changes = Object.fromEntries(Object.entries(patch.data).filter(([, v]) => v !== undefined));
      const completedAt = patch.data.completed === undefined || patch.data.completed === todo.completed ? todo.completedAt : patch.data.completed ? now : null;
      Object.assign(todo, changes, { completedAt, version: todo.version + 1, updatedAt: now });
      return HttpResponse.json(todo);
    }),

    http.patch(`${API_URL}/todos`, async ({ request }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      const query = BulkCompleteQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
      const input = BulkCompleteInput.safeParse(await request.json());
      if (!query.success || !input.success) return errorBody(400, "VALIDATION_FAILED", "bad mark-all request");
      const now = new Date().toISOString();
      let updated = 0;
      if (query.data.listId !== undefined && !findList(userId, query.data.listId)) return notFound();
      for (const todo of listOf(userId)) {
        if (query.data.listId !== undefined && todo.listId !== query.data.listId) continue;
        if (query.data.completed !== undefined && todo.completed !== query.data.completed) continue;
        if (todo.completed === input.data.completed) continue;
        Object.assign(todo, {
          completed: input.data.completed,
          completedAt: input.data.completed ? now : null,
          version: todo.version + 1,
          updatedAt: now,
        });
        updated++;
      }
      return HttpResponse.json({ updated });
    }),

    http.delete(`${API_URL}/todos/:id`, async ({ request, params }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      const list = listOf(userId);
      const index = list.findIndex((t) => t.id === params.id);
      if (index < 0) return errorBody(404, "NOT_FOUND", "Task not found");
      list.splice(index, 1);
      return new HttpResponse(null, { status: 204 });
    }),

    http.delete(`${API_URL}/todos`, async ({ request }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      if (new URL(request.url).searchParams.get("completed") !== "true") {
        return errorBody(400, "VALIDATION_FAILED", 'completed must be "true"');
      }
      const listId = new URL(request.url).searchParams.get("listId");
      if (listId !== null && !findList(userId, listId)) return notFound();
      const list = listOf(userId);
      const kept = list.filter((t) => !t.completed || (listId !== null && t.listId !== listId));
      lists.set(userId, kept);
      return HttpResponse.json({ deleted: list.length - kept.length });
    }),

    http.get(`${API_URL}/lists`, async ({ request }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      return HttpResponse.json({ items: [...allListsOf(userId)].sort((a, b) => a.position - b.position) });
    }),

    http.post(`${API_URL}/lists`, async ({ request }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      const input = CreateListInput.safeParse(await request.json());
      if (!input.success) return errorBody(400, "VALIDATION_FAILED", input.error.issues[0]!.message);
      const key = request.headers.get("idempotency-key");
      const remembered = key ? idempotency.get(`${userId}:list:${key}`) : undefined;
      if (remembered) return HttpResponse.json(remembered, { status: 201 });
      const now = new Date().toISOString();
      const list: List = { id: nextId(), name: input.data.name, position: input.data.position ?? Date.now(), isDefault: false, createdAt: now, updatedAt: now, version: 1 };
      userLists.set(userId, [...(userLists.get(userId) ?? []), list]);
      if (key) idempotency.set(`${userId}:list:${key}`, list);
      return HttpResponse.json(list, { status: 201, headers: { Location: `/lists/${list.id}` } });
    }),

    http.patch(`${API_URL}/lists/:listId`, async ({ request, params }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      const list = findList(userId, String(params.listId));
      if (!list) return notFound();
      const patch = PatchListInput.safeParse(await request.json());
      if (!patch.success) return errorBody(400, "VALIDATION_FAILED", patch.error.issues[0]!.message);
      const ifMatch = request.headers.get("if-match");
      if (ifMatch !== null && Number(ifMatch) !== list.version) {
        return errorBody(409, "VERSION_CONFLICT", "The list has changed", { currentVersion: list.version });
      }
      Object.assign(list, Object.fromEntries(Object.entries(patch.data).filter(([, v]) => v !== undefined)), { version: list.version + 1, updatedAt: new Date().toISOString() });
      return HttpResponse.json(list);
    }),

    http.delete(`${API_URL}/lists/:listId`, async ({ request, params }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      const id = String(params.listId);
      if (id === DEFAULT_LIST_ID) return errorBody(409, "DEFAULT_LIST", "The default list cannot be deleted");
      if (!findList(userId, id)) return notFound();
      userLists.set(userId, (userLists.get(userId) ?? []).filter((list) => list.id !== id));
      lists.set(userId, listOf(userId).filter((todo) => todo.listId !== id));
      return new HttpResponse(null, { status: 204 });
    }),

    http.get(`${API_URL}/export`, async ({ request }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      return HttpResponse.json({ lists: allListsOf(userId), todos: listOf(userId) });
    }),

    http.delete(`${API_URL}/account`, async ({ request }) => {
      await record(request);
      const userId = authorize(request);
      if (typeof userId !== "string") return userId;
      lists.delete(userId);
      userLists.delete(userId);
      defaultLists.delete(userId);
      deletedAccounts.add(userId);
      return new HttpResponse(null, { status: 204 });
    }),
  ];

  return {
    handlers,
    requests,
    /** Seeds tasks straight into a user's tasks (as if created earlier); fields such as listId, due, notes. */
    seed(userId: string, titles: Array<string | ({ title: string; completed?: boolean } & Partial<Todo>)>) {
      const list = listOf(userId);
      for (const entry of titles) {
        const todo = typeof entry === "string" ? newTodo(entry) : newTodo(entry.title, entry.completed ?? false, entry);
        list.push(todo);
      }
      return list;
    },
    /** Seeds a list (as if created earlier). */
    seedList(userId: string, name: string): List {
      const now = new Date().toISOString();
      const list: List = { id: nextId(), name, position: Date.now() + counter, isDefault: false, createdAt: now, updatedAt: now, version: 1 };
      userLists.set(userId, [...(userLists.get(userId) ?? []), list]);
      return list;
    },
    lists: (userId: string) => allListsOf(userId),
    todos: (userId: string) => listOf(userId),
    writes: () => requests.filter((r) => r.method !== "GET"),
    /** The next `count` answers to `method path` (e.g. "POST", "/todos") are lost after the work is done. */
    loseAnswers(method: string, path: string, count = 1) {
      answersToLose.set(`${method} ${path}`, (answersToLose.get(`${method} ${path}`) ?? 0) + count);
    },
  };
}

export type TasksApiService = ReturnType<typeof createTasksApiService>;
