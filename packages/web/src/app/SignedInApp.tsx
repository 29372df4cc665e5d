import { DEFAULT_LIST_ID, type List, type Todo } from "@tasks/core/contract";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { AccountMenu } from "../account/AccountMenu";
import { createTodoApi } from "../api/todo-api";
import { getAccessToken, type SignedInUser } from "../auth/cognito";
import type { AppConfig } from "../config";
import { byOrder, SyncSession, TodoApiContext, UndoProvider, useEndSyncSession, useListActions, useLists, useServerIdOf, useTaskActions, useTasks, useUndo } from "../data";
import { SyncStatusBar } from "./SyncStatusBar";
import { DeleteListDialog } from "../lists/DeleteListDialog";
import { Sidebar } from "../lists/Sidebar";
import { isoDay } from "../planned/dates";
import { PlannedView } from "../planned/PlannedView";
import { SearchView } from "../search/SearchView";
import { ListView } from "../tasks/ListView";
import type { TodoItemHandlers } from "../tasks/TodoItem";
import { AppMark, Icon } from "../ui/icons";
import { Toasts, type Toast } from "../ui/Toasts";
import { useStableCallback } from "../ui/use-latest";
import { listHref, searchHref, useRoute } from "./routes";

// Not needed for the first paint: loaded when a task's details are first opened.
const TaskDetail = lazy(() => import("../tasks/TaskDetail").then((module) => ({ default: module.TaskDetail })));

/** The signed-in app: top bar, lists in a sidebar (a drawer on phones), the current view, details. */
export function SignedInApp({
  user,
  config,
  onSignOut,
  onSignedOutElsewhere,
  onAccountDeleted,
}: {
  user: SignedInUser;
  config: Pick<AppConfig, "apiUrl" | "wsUrl">;
  onSignOut: () => void;
  /** The session ended outside this tab (signed out elsewhere, tokens revoked). */
  onSignedOutElsewhere: () => void;
  onAccountDeleted: () => void;
}) {
  const loading = (
    <p className="session-loading" role="status">
      Loading…
    </p>
  );
  // The API client of the account's requests (export, delete); the tasks go through the sync engine.
  const [api] = useState(() => createTodoApi({ baseUrl: config.apiUrl, getAccessToken }));
  return (
    <TodoApiContext.Provider value={api}>
      <SyncSession userId={user.userId} config={config} onSignedOut={onSignedOutElsewhere} fallback={loading}>
        <UndoProvider>
          <Shell user={user} onSignOut={onSignOut} onAccountDeleted={onAccountDeleted} />
        </UndoProvider>
      </SyncSession>
    </TodoApiContext.Provider>
  );
}

/** Today's date (`YYYY-MM-DD`, local), moving on at midnight. */
function useToday(): string {
  const [today, setToday] = useState(() => isoDay(new Date()));
  useEffect(() => {
    const timer = setInterval(() => setToday(isoDay(new Date())), 60_000);
    return () => clearInterval(timer);
  }, []);
  return today;
}

const focusSoon = (find: () => HTMLElement | null | undefined) =>
  requestAnimationFrame(() => find()?.focus());
const isLocalId = (id: string) => id.startsWith("local:");
const rowOf = (id: string) => document.querySelector<HTMLElement>(`li[data-task-id="${CSS.escape(id)}"]`);

function Shell({ user, onSignOut, onAccountDeleted }: { user: SignedInUser; onSignOut: () => void; onAccountDeleted: () => void }) {
  const [route, navigate] = useRoute();
  // Fetched while the tasks load, so that reordering and the details pane are ready when they
  // show — also if the network goes before the service worker controls this page.
  useEffect(() => {
    void import("../tasks/SortableTaskRows");
    void import("../tasks/TaskDetail");
  }, []);
  const [toast, setToast] = useState<Toast | null>(null);
  // Most messages are errors (a write refused, a bad title); a few say something went well.
  const setAlert = useCallback((message: string) => setToast({ message, tone: "error" }), []);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [deletingList, setDeletingList] = useState<List | null>(null);
  const undo = useUndo();
  const { query, tasks } = useTasks();
  const { query: listsQuery, lists } = useLists();
  const actions = useTaskActions(setAlert);
  const listActions = useListActions(setAlert);
  const serverIdOf = useServerIdOf();
  const endSyncSession = useEndSyncSession(user.userId);
  const today = useToday();
  const lastListHref = useRef("#/");
  const menuButton = useRef<HTMLButtonElement>(null);

  const listNames = useMemo(() => new Map(lists.map((list) => [list.id, list.name])), [lists]);
  const openCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const todo of tasks) if (!todo.completed) counts.set(todo.listId, (counts.get(todo.listId) ?? 0) + 1);
    return counts;
  }, [tasks]);
  const plannedCount = useMemo(() => tasks.filter((todo) => todo.due !== null && !todo.completed).length, [tasks]);

  const listId = route.view === "list" ? route.listId : null;
  const list = listId === null ? undefined : lists.find((candidate) => candidate.id === listId);
  const listTasks = useMemo(
    () => (listId === null ? [] : tasks.filter((todo) => todo.listId === listId).sort(byOrder)),
    [tasks, listId],
  );
  if (route.view === "list") lastListHref.current = listHref(route.listId, route.filter);

  // A list that does not exist (deleted, or a stale link): go to the default list. A list created
  // here shows under a local id until the server has created it; then it is the server's id.
  useEffect(() => {
    if (listId === null || !listsQuery.isSuccess || list) return;
    let current = true;
    void (isLocalId(listId) ? serverIdOf(listId) : Promise.resolve(undefined)).then((id) => {
      if (current) navigate(id ? listHref(id, route.view === "list" ? route.filter : undefined) : "#/", { replace: true });
    });
    return () => {
      current = false;
    };
  }, [listId, list, listsQuery.isSuccess, navigate, serverIdOf, route]);

  // The drawer opens with focus on the current place in it (and Escape gives it back).
  useEffect(() => {
    if (drawerOpen) focusSoon(() => document.querySelector<HTMLElement>('.sidebar [aria-current="page"]') ?? document.querySelector<HTMLElement>(".sidebar a"));
  }, [drawerOpen]);

  // Another place: the drawer closes, and focus left in the sidebar goes to the new view.
  const place = route.view === "list" ? `list:${route.listId}` : route.view;
  useEffect(() => {
    setDrawerOpen(false);
    const active = document.activeElement;
    if (!active || active === document.body || active.closest(".sidebar")) {
      focusSoon(() => document.querySelector<HTMLElement>("main .new-todo, main h1"));
    }
  }, [place]);

  const selected = selectedId === null ? undefined : tasks.find((todo) => todo.id === selectedId);
  useEffect(() => {
    if (selectedId === null || !query.isSuccess || selected) return;
    let current = true;
    void (isLocalId(selectedId) ? serverIdOf(selectedId) : Promise.resolve(undefined)).then((id) => {
      if (current) setSelectedId(id ?? null);
    });
    return () => {
      current = false;
    };
  }, [selectedId, selected, query.isSuccess, serverIdOf]);

  const closeDetails = useCallback(() => {
    const id = selectedId;
    setSelectedId(null);
    if (id) focusSoon(() => rowOf(id)?.querySelector<HTMLElement>(".details") ?? document.querySelector<HTMLElement>("main h1"));
  }, [selectedId]);

  /** Deletes with undo; focus goes to the next task (or the new-task field), and back on Undo. */
  const deleteTask = useStableCallback((todo: Todo) => {
    const row = rowOf(todo.id);
    const next = (row?.nextElementSibling ?? row?.previousElementSibling) as HTMLElement | null;
    const nextFocus = next?.querySelector<HTMLElement>(".toggle") ?? document.querySelector<HTMLElement>("main .new-todo, main h1");
    if (selectedId === todo.id) setSelectedId(null);
    actions.remove(todo, () => focusSoon(() => rowOf(todo.id)?.querySelector<HTMLElement>(".toggle")));
    nextFocus?.focus();
  });

  // The rows are memoised: their handlers keep one identity and call the latest actions.
  const latestActions = useRef(actions);
  latestActions.current = actions;
  const handlers: TodoItemHandlers = useMemo(
    () => ({
      onToggle: (id, completed) => latestActions.current.setCompleted(id, completed),
      onRename: (id, title) => latestActions.current.rename(id, title),
      onDelete: (todo) => deleteTask(todo),
      onOpen: (id) => setSelectedId((current) => (current === id ? null : id)),
      onInvalid: (message) => setAlert(message),
    }),
    [deleteTask],
  );

  async function signOut() {
    await undo.flush();
    await endSyncSession();
    onSignOut();
  }

  let view;
  if (route.view === "planned") {
    view = <PlannedView tasks={tasks} today={today} listNames={listNames} selectedId={selectedId} handlers={handlers} />;
  } else if (route.view === "search") {
    view = <SearchView query={route.query} tasks={tasks} today={today} listNames={listNames} selectedId={selectedId} handlers={handlers} />;
  } else if (list) {
    view = (
      <ListView
        key={list.id}
        list={list}
        filter={route.filter}
        tasks={listTasks}
        query={query}
        actions={actions}
        handlers={handlers}
        today={today}
        selectedId={selectedId}
        onRename={(name) => listActions.rename(list.id, name)}
        onDelete={() => setDeletingList(list)}
        onInvalid={setAlert}
      />
    );
  } else {
    view = (
      <p className="list-state" role="status">
        Loading your lists…
      </p>
    );
  }

  return (
    <div className={`app-shell${drawerOpen ? " drawer-open" : ""}`}>
      <header className="topbar">
        <button
          type="button"
          ref={menuButton}
          className="icon-button menu-button"
          aria-label="Lists"
          aria-expanded={drawerOpen}
          aria-controls="sidebar"
          onClick={() => setDrawerOpen((open) => !open)}
        >
          <Icon name="menu" />
        </button>
        <a className="brand" href="#/">
          <AppMark />
          <span>Tasks</span>
        </a>
        <div className="search-field">
          <Icon name="search" size={18} />
          <label htmlFor="search" className="visually-hidden">
            Search all lists
          </label>
          <input
            id="search"
            type="search"
            placeholder="Search"
            autoComplete="off"
            value={route.view === "search" ? route.query : ""}
            onChange={(event) => navigate(searchHref(event.target.value), { replace: route.view === "search" })}
            onKeyDown={(event) => {
              if (event.key === "Escape") navigate(lastListHref.current);
            }}
          />
        </div>
        <AccountMenu
          email={user.email}
          onSignOut={() => void signOut()}
          onDeleted={() => {
            // The account is gone: nothing left to send, the replica and queue are dropped.
            void endSyncSession({ send: false }).then(onAccountDeleted);
          }}
          onNotice={(message, tone) => setToast({ message, tone })}
        />
      </header>
      <SyncStatusBar />
      <div className="layout">
        <aside
          id="sidebar"
          className="sidebar"
          onKeyDown={(event) => {
            if (event.key === "Escape" && drawerOpen) {
              setDrawerOpen(false);
              menuButton.current?.focus();
            }
          }}
        >
          <Sidebar
            lists={lists}
            route={route}
            openCounts={openCounts}
            plannedCount={plannedCount}
            onInvalid={setAlert}
            onNavigate={() => setDrawerOpen(false)}
            onCreate={async (name) => {
              const created = await listActions.create(name);
              navigate(listHref(created.id));
            }}
          />
        </aside>
        {drawerOpen ? <div className="drawer-backdrop" onClick={() => setDrawerOpen(false)} /> : null}
        <main className={selected ? "with-detail" : undefined}>{view}</main>
        {selected ? (
          <Suspense fallback={null}>
            <TaskDetail
              todo={selected}
              lists={lists}
              today={today}
              onChange={(patch) => actions.update(selected.id, patch)}
              onDelete={() => deleteTask(selected)}
              onClose={closeDetails}
              onInvalid={setAlert}
            />
          </Suspense>
        ) : null}
      </div>
      {deletingList ? (
        <DeleteListDialog
          list={deletingList}
          taskCount={tasks.filter((todo) => todo.listId === deletingList.id).length}
          onCancel={() => setDeletingList(null)}
          onConfirm={() => {
            const doomed = deletingList;
            setDeletingList(null);
            listActions.remove(doomed, () => {
              navigate(listHref(doomed.id));
            });
            navigate(listHref(DEFAULT_LIST_ID));
          }}
        />
      ) : null}
      <Toasts toast={toast} onDismiss={useCallback(() => setToast(null), [])} />
    </div>
  );
}
