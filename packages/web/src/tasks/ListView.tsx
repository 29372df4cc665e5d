import type { List, Todo } from "@tasks/core/contract";
import { useRef, useState } from "react";
import { describeApiError } from "../api/api-error";
import type { Filter } from "../app/routes";
import type { TaskActions } from "../data";
import { ListHeader } from "../lists/ListHeader";
import { applyFilter } from "./filter";
import { Footer } from "./Footer";
import { NewTodo } from "./NewTodo";
import type { TodoItemHandlers } from "./TodoItem";
import { TodoList } from "./TodoList";
import { useShownAtOnce } from "./use-shown-at-once";

const EMPTY_FILTER_MESSAGE = {
  all: "No tasks.",
  active: "Nothing left to do.",
  completed: "No completed tasks yet.",
} as const;

export interface QueryState {
  isPending: boolean;
  isError: boolean;
  isRefetchError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/** One list, TodoMVC's markup and behaviour: new task, mark all, the tasks, count, filters, clear. */
export function ListView({
  list,
  filter,
  tasks,
  query,
  actions,
  handlers,
  today,
  selectedId,
  onRename,
  onDelete,
  onInvalid,
}: {
  list: List;
  filter: Filter;
  /** This list's tasks, in order. */
  tasks: Todo[];
  query: QueryState;
  actions: TaskActions;
  handlers: TodoItemHandlers;
  today: string;
  selectedId: string | null;
  onRename: (name: string) => void;
  onDelete: () => void;
  onInvalid: (message: string) => void;
}) {
  const newTodoRef = useRef<HTMLInputElement>(null);
  // A new task goes last: brought into view (at 1 000 tasks it would land far below the fold).
  const [added, setAdded] = useState<string | null>(null);
  const activeCount = tasks.filter((todo) => !todo.completed).length;
  const completedCount = tasks.length - activeCount;
  // "Mark all as complete" shows its click at once; the list takes over when the tasks change.
  const [allCompleted, showAllCompleted] = useShownAtOnce(activeCount === 0, tasks);

  let body;
  if (query.isPending) {
    body = (
      <p className="list-state" role="status">
        Loading your tasks…
      </p>
    );
  } else if (query.isError && tasks.length === 0) {
    body = (
      <div className="list-state" role="alert">
        <p>Your tasks could not be loaded. {describeApiError(query.error)}</p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  } else if (tasks.length === 0) {
    body = <p className="list-state empty">No tasks yet. Add your first one above.</p>;
  } else {
    body = (
      <>
        {query.isRefetchError ? (
          <p className="list-state stale" role="status">
            Showing the tasks as last loaded: refreshing failed. {describeApiError(query.error)}{" "}
            <button type="button" className="button" onClick={() => void query.refetch()}>
              Try again
            </button>
          </p>
        ) : null}
        <TodoList
          todos={applyFilter(tasks, filter)}
          allCompleted={allCompleted}
          emptyMessage={EMPTY_FILTER_MESSAGE[filter]}
          onToggleAll={(completed) => {
            showAllCompleted(completed);
            actions.markAll(list.id, completed);
          }}
          onReorder={(id, order) => actions.update(id, { order })}
          today={today}
          selectedId={selectedId}
          revealId={added}
          handlers={handlers}
        />
        <Footer
          listId={list.id}
          activeCount={activeCount}
          completedCount={completedCount}
          filter={filter}
          onClearCompleted={() => {
            actions.clearCompleted(list.id, () => newTodoRef.current?.focus());
            // The button goes away with the completed tasks: continue from the new-task field.
            newTodoRef.current?.focus();
          }}
        />
      </>
    );
  }

  return (
    <section className="todoapp" aria-labelledby="list-title">
      <ListHeader list={list} onRename={onRename} onDelete={onDelete} onInvalid={onInvalid} />
      <NewTodo
        inputRef={newTodoRef}
        listName={list.name}
        onAdd={(title) => {
          void actions.add({ title, listId: list.id }).then((id) => id && setAdded(id));
        }}
        onInvalid={onInvalid}
      />
      {body}
    </section>
  );
}
