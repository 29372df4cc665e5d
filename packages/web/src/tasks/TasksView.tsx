import { useRef, useState } from "react";
import { describeApiError } from "../api/api-error";
import type { SignedInUser } from "../auth/cognito";
import { applyFilter, useHashFilter } from "./filter";
import { Footer } from "./Footer";
import { NewTodo } from "./NewTodo";
import { TodoList } from "./TodoList";
import { useShownAtOnce } from "./use-shown-at-once";
import { useTodoActions, useTodos } from "./use-todos";

const EMPTY_FILTER_MESSAGE = {
  all: "No tasks.",
  active: "Nothing left to do.",
  completed: "No completed tasks yet.",
} as const;

/** The signed-in screen: the TodoMVC list, persisted through the API. */
export function TasksView({ user, onSignOut }: { user: SignedInUser; onSignOut: () => void }) {
  const [alert, setAlert] = useState<string | null>(null);
  const newTodoRef = useRef<HTMLInputElement>(null);
  const filter = useHashFilter();
  const query = useTodos(user.userId);
  const actions = useTodoActions(user.userId, setAlert);

  const todos = query.data ?? [];
  const activeCount = todos.filter((todo) => !todo.completed).length;
  const completedCount = todos.length - activeCount;
  // "Mark all as complete" shows its click at once; the list takes over when the cache changes.
  const [allCompleted, showAllCompleted] = useShownAtOnce(activeCount === 0, query.data);

  function remove(id: string) {
    actions.remove(id);
    // The focused control is gone with its task: continue from the new-task field.
    newTodoRef.current?.focus();
  }

  let body;
  if (query.isPending) {
    body = (
      <p className="list-state" role="status">
        Loading your tasks…
      </p>
    );
  } else if (query.isError && todos.length === 0) {
    body = (
      <div className="list-state" role="alert">
        <p>Your tasks could not be loaded. {describeApiError(query.error)}</p>
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  } else if (todos.length === 0) {
    body = <p className="list-state empty">No tasks yet. Add your first one above.</p>;
  } else {
    body = (
      <>
        {query.isRefetchError ? (
          <p className="list-state stale" role="status">
            Showing the tasks as last loaded: refreshing failed. {describeApiError(query.error)}{" "}
            <button type="button" onClick={() => void query.refetch()}>
              Try again
            </button>
          </p>
        ) : null}
        <TodoList
          todos={applyFilter(todos, filter)}
          allCompleted={allCompleted}
          emptyMessage={EMPTY_FILTER_MESSAGE[filter]}
          onToggleAll={(completed) => {
            showAllCompleted(completed);
            actions.toggleAll(completed);
          }}
          onToggle={actions.setCompleted}
          onRename={actions.rename}
          onDelete={remove}
          onInvalid={setAlert}
        />
        <Footer
          activeCount={activeCount}
          completedCount={completedCount}
          filter={filter}
          onClearCompleted={actions.clearCompleted}
        />
      </>
    );
  }

  return (
    <div className="app-shell">
      <header className="topbar">
        <span className="brand">Tasks</span>
        <span className="user" title={user.email}>
          {user.email}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        {alert ? (
          <div className="action-alert" role="alert">
            <span>{alert}</span>
            <button type="button" onClick={() => setAlert(null)}>
              Dismiss
            </button>
          </div>
        ) : null}
        <section className="todoapp" aria-label="Task list">
          <NewTodo inputRef={newTodoRef} onAdd={actions.add} onInvalid={setAlert} />
          {body}
        </section>
      </main>
    </div>
  );
}
