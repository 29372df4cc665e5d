/**
 * An in-memory Tasks API as a `fetch` function, to the contract (README "API"; DESIGN.md "Sync
 * (pull)"): tasks and lists, Idempotency-Key on creates, If-Match on edits, and `GET /sync` — a
 * snapshot paged by `hasMore`, then the changes after a cursor, re-sending a few entries before it
 * (as the real log may, within its ~30 s late-commit bound), 410 CURSOR_EXPIRED once cursors are
 * expired. It stands in for the real API in tests of the client's sync stack: what it checks is
 * the client against the contract, not the server. Requests are validated with the contract's own
 * schemas, so a client sending a malformed body fails the test.
 *
 * Faults: `online = false` makes every request fail without an answer; `loseAnswers(n)` lets the
 * next n requests do their work and then fail without an answer (a connection lost mid-flight).
 * `device` is a second device of the same user writing straight to the server.
 */
import {
  BulkCompleteInput,
  CreateListInput,
  CreateTodoInput,
  DEFAULT_LIST_ID,
  DEFAULT_LIST_NAME,
  PatchListInput,
  PatchTodoInput,
  type List,
  type SyncChange,
  type Todo,
} from "@tasks/core/contract";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SNAPSHOT_PAGE = 4;
const DELTA_PAGE = 5;

interface UserData {
  todos: Map<string, Todo>;
  lists: Map<string, List>;
  log: SyncChange[];
  idempotency: Map<string, { body: string; answer: Todo | List }>;
}

type Cursor = { user: string; phase: "snapshot"; after: string; at: number } | { user: string; phase: "log"; at: number };

export interface SyncApiServerOptions {
  /** Entries before a delta cursor sent again (idempotence of the client is what that tests). */
  resend?: number;
}

export function createSyncApiServer(options: SyncApiServerOptions = {}) {
  const resend = options.resend ?? 2;
  const users = new Map<string, UserData>();
  let counter = 0;
  const lose = { count: 0, method: undefined as string | undefined };
  /** Cursors are stamped with the generation they were issued in; older ones answer 410. */
  let generation = 0;
  const requests: Array<{ method: string; path: string; headers: Record<string, string> }> = [];
  const state = { online: true };

  function nextId(): string {
    let n = ++counter;
    let digits = "";
    do {
      digits = CROCKFORD[n % 32] + digits;
      n = Math.floor(n / 32);
    } while (n > 0);
    return `01J${digits.padStart(23, "0")}`;
  }

  const timestamp = () => new Date(Date.UTC(2026, 0, 1) + counter * 1000).toISOString();

  function data(user: string): UserData {
    let found = users.get(user);
    if (!found) {
      const at = timestamp();
      const defaultList: List = { id: DEFAULT_LIST_ID, name: DEFAULT_LIST_NAME, position: 0, isDefault: true, createdAt: at, updatedAt: at, version: 1 };
      found = { todos: new Map(), lists: new Map([[DEFAULT_LIST_ID, defaultList]]), log: [], idempotency: new Map() };
      users.set(user, found);
    }
    return found;
  }

  const encode = (cursor: Cursor) => btoa(JSON.stringify({ ...cursor, generation }));
  function decode(text: string, user: string): Cursor | "expired" | undefined {
    try {
      const { generation: issued, ...cursor } = JSON.parse(atob(text)) as Cursor & { generation: number };
      if (cursor.user !== user) return undefined;
      return issued < generation ? "expired" : cursor;
    } catch {
      return undefined;
    }
  }

  const json = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers } });
  const error = (status: number, code: string, extra: Record<string, unknown> = {}) => json(status, { error: { code, message: code, requestId: "test", ...extra } });

  // ---- writes, shared by the API and the second device ----

  function logTodo(user: UserData, todo: Todo) {
    user.log.push({ kind: "todo", id: todo.id, deleted: false, item: structuredClone(todo) });
  }
  function logList(user: UserData, list: List) {
    user.log.push({ kind: "list", id: list.id, deleted: false, item: structuredClone(list) });
  }

  function createTodo(user: UserData, input: CreateTodoInput): Todo | undefined {
    const listId = input.listId ?? DEFAULT_LIST_ID;
    if (!user.lists.has(listId)) return undefined;
    const at = timestamp();
    const completed = input.completed ?? false;
    const todo: Todo = {
      id: nextId(), title: input.title, completed, order: input.order ?? counter, createdAt: at, updatedAt: at, version: 1,
      listId, notes: input.notes ?? "", due: input.due ?? null, completedAt: completed ? at : null,
    };
    user.todos.set(todo.id, todo);
    logTodo(user, todo);
    return todo;
  }

  function patchTodo(user: UserData, todo: Todo, patch: PatchTodoInput): Todo {
    const at = timestamp();
    const next: Todo = { ...todo, version: todo.version + 1, updatedAt: at };
    for (const [field, value] of Object.entries(patch)) if (value !== undefined) (next as Record<string, unknown>)[field] = value;
    if (patch.completed !== undefined && patch.completed !== todo.completed) next.completedAt = patch.completed ? at : null;
    user.todos.set(todo.id, next);
    logTodo(user, next);
    return next;
  }

  function deleteTodo(user: UserData, id: string) {
    user.todos.delete(id);
    user.log.push({ kind: "todo", id, deleted: true });
  }

  function deleteList(user: UserData, id: string) {
    for (const todo of [...user.todos.values()]) if (todo.listId === id) deleteTodo(user, todo.id);
    user.lists.delete(id);
    user.log.push({ kind: "list", id, deleted: true });
  }

  // ---- the API ----

  function authorize(headers: Headers): string | undefined {
    const match = /^Bearer token-(.+)$/.exec(headers.get("authorization") ?? "");
    return match?.[1];
  }

  function sync(user: string, since: string | null): Response {
    const data_ = data(user);
    let cursor: Cursor;
    if (since === null) cursor = { user, phase: "snapshot", after: "", at: data_.log.length };
    else {
      const decoded = decode(since, user);
      if (!decoded) return error(400, "VALIDATION_FAILED");
      if (decoded === "expired") return error(410, "CURSOR_EXPIRED");
      cursor = decoded;
    }
    if (cursor.phase === "snapshot") {
      const after = cursor.after;
      const items = ([
        ...[...data_.lists.values()].map((item) => ({ kind: "list" as const, id: item.id, deleted: false as const, item })),
        ...[...data_.todos.values()].map((item) => ({ kind: "todo" as const, id: item.id, deleted: false as const, item })),
      ] as SyncChange[])
        .map((change) => ({ change, key: `${change.kind}:${change.id}` }))
        .filter(({ key }) => key > after)
        .sort((a, b) => (a.key < b.key ? -1 : 1));
      const page = items.slice(0, SNAPSHOT_PAGE);
      const hasMore = items.length > SNAPSHOT_PAGE;
      // The last page hands over to the log where the snapshot began: changes made while paging
      // come again as deltas.
      const next: Cursor = hasMore ? { ...cursor, after: page[page.length - 1]!.key } : { user, phase: "log", at: cursor.at };
      return json(200, { changes: structuredClone(page.map(({ change }) => change)), cursor: encode(next), hasMore });
    }
    const from = Math.max(0, cursor.at - resend);
    const changes = data_.log.slice(from, from + DELTA_PAGE);
    const at = from + changes.length;
    return json(200, { changes: structuredClone(changes), cursor: encode({ user, phase: "log", at: Math.max(at, cursor.at) }), hasMore: at < data_.log.length });
  }

  async function handle(method: string, url: URL, headers: Headers, text: string): Promise<Response> {
    const userId = authorize(headers);
    if (!userId) return json(401, { message: "Unauthorized" });
    const user = data(userId);
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    const [resource, id] = parts;
    const ifMatch = headers.get("if-match");
    const key = headers.get("idempotency-key");

    if (resource === "sync" && method === "GET") return sync(userId, url.searchParams.get("since"));

    if (resource === "todos" && !id) {
      if (method === "POST") {
        const input = CreateTodoInput.safeParse(body);
        if (!input.success) return error(400, "VALIDATION_FAILED");
        const remembered = key ? user.idempotency.get(key) : undefined;
        if (remembered) return remembered.body === text ? json(201, remembered.answer) : error(422, "IDEMPOTENCY_KEY_REUSED");
        const todo = createTodo(user, input.data);
        if (!todo) return error(404, "NOT_FOUND");
        if (key) user.idempotency.set(key, { body: text, answer: structuredClone(todo) });
        return json(201, todo, { Location: `/todos/${todo.id}` });
      }
      if (method === "PATCH") {
        const input = BulkCompleteInput.safeParse(body);
        if (!input.success) return error(400, "VALIDATION_FAILED");
        const listId = url.searchParams.get("listId");
        const only = url.searchParams.get("completed");
        let updated = 0;
        for (const todo of [...user.todos.values()]) {
          if ((listId !== null && todo.listId !== listId) || (only !== null && String(todo.completed) !== only) || todo.completed === input.data.completed) continue;
          patchTodo(user, todo, { completed: input.data.completed });
          updated++;
        }
        return json(200, { updated });
      }
      if (method === "DELETE") {
        if (url.searchParams.get("completed") !== "true") return error(400, "VALIDATION_FAILED");
        const listId = url.searchParams.get("listId");
        if (listId !== null && !user.lists.has(listId)) return error(404, "NOT_FOUND");
        const completed = [...user.todos.values()].filter((todo) => todo.completed && (listId === null || todo.listId === listId));
        for (const todo of completed) deleteTodo(user, todo.id);
        return json(200, { deleted: completed.length });
      }
    }

    if (resource === "todos" && id) {
      const todo = user.todos.get(id);
      if (!todo) return error(404, "NOT_FOUND");
      if (method === "GET") return json(200, todo);
      if (ifMatch !== null && Number(ifMatch) !== todo.version) return error(409, "VERSION_CONFLICT", { currentVersion: todo.version });
      if (method === "PATCH") {
        const patch = PatchTodoInput.safeParse(body);
        if (!patch.success) return error(400, "VALIDATION_FAILED");
        if (patch.data.listId !== undefined && !user.lists.has(patch.data.listId)) return error(404, "NOT_FOUND");
        return json(200, patchTodo(user, todo, patch.data));
      }
      if (method === "DELETE") {
        deleteTodo(user, id);
        return json(204);
      }
    }

    if (resource === "lists" && !id) {
      if (method === "GET") return json(200, { items: [...user.lists.values()].sort((a, b) => a.position - b.position) });
      if (method === "POST") {
        const input = CreateListInput.safeParse(body);
        if (!input.success) return error(400, "VALIDATION_FAILED");
        const remembered = key ? user.idempotency.get(key) : undefined;
        if (remembered) return remembered.body === text ? json(201, remembered.answer) : error(422, "IDEMPOTENCY_KEY_REUSED");
        const at = timestamp();
        const list: List = { id: nextId(), name: input.data.name, position: input.data.position ?? counter, isDefault: false, createdAt: at, updatedAt: at, version: 1 };
        user.lists.set(list.id, list);
        logList(user, list);
        if (key) user.idempotency.set(key, { body: text, answer: structuredClone(list) });
        return json(201, list);
      }
    }

    if (resource === "lists" && id) {
      const list = user.lists.get(id);
      if (!list) return error(404, "NOT_FOUND");
      if (ifMatch !== null && Number(ifMatch) !== list.version) return error(409, "VERSION_CONFLICT", { currentVersion: list.version });
      if (method === "PATCH") {
        const patch = PatchListInput.safeParse(body);
        if (!patch.success) return error(400, "VALIDATION_FAILED");
        const next: List = { ...list, ...Object.fromEntries(Object.entries(patch.data).filter(([, v]) => v !== undefined)), version: list.version + 1, updatedAt: timestamp() };
        user.lists.set(id, next);
        logList(user, next);
        return json(200, next);
      }
      if (method === "DELETE") {
        if (id === DEFAULT_LIST_ID) return error(409, "DEFAULT_LIST");
        deleteList(user, id);
        return json(204);
      }
    }
    return error(404, "NOT_FOUND");
  }

  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    requests.push({ method, path: url.pathname + url.search, headers: Object.fromEntries(headers) });
    if (!state.online) throw new TypeError("Failed to fetch");
    const response = await handle(method, url, headers, typeof init.body === "string" ? init.body : "");
    if (lose.count > 0 && (lose.method === undefined || lose.method === method)) {
      lose.count--;
      throw new TypeError("Failed to fetch (answer lost)");
    }
    return response;
  };

  return {
    fetch: fetchImpl,
    state,
    requests,
    /** The next `count` requests (of `method`, if given) do their work, then get no answer. */
    loseAnswers(count = 1, method?: string) {
      lose.count += count;
      lose.method = method;
    },
    /** Answers still to be lost. */
    lostAnswersPending: () => lose.count,
    /** A reliable network from now on: online, no answers lost. */
    heal() {
      state.online = true;
      lose.count = 0;
    },
    /** Every cursor issued so far answers 410 from now on. */
    expireCursors() {
      generation++;
    },
    todos: (user: string) => [...data(user).todos.values()],
    lists: (user: string) => [...data(user).lists.values()],
    /** Another device of the same user, writing straight to the server. */
    device(user: string) {
      const target = data(user);
      return {
        create: (input: CreateTodoInput) => createTodo(target, input)!,
        patch(id: string, patch: PatchTodoInput) {
          const todo = target.todos.get(id);
          return todo ? patchTodo(target, todo, patch) : undefined;
        },
        delete(id: string) {
          if (target.todos.has(id)) deleteTodo(target, id);
        },
        deleteList: (id: string) => deleteList(target, id),
      };
    },
  };
}

export type SyncApiServer = ReturnType<typeof createSyncApiServer>;

/** The token the server above accepts for a user. */
export const tokenOf = (user: string) => `token-${user}`;
