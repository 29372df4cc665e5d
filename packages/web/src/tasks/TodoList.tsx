import type { Todo } from "@tasks/core/contract";
import { lazy, Suspense } from "react";
import { useRevealRow, useRowWindow } from "./row-window";
import { TodoItem, type TodoItemHandlers } from "./TodoItem";

/** Rows of tasks; `listNames` adds each task's list (views across lists). Long lists are windowed (./row-window.ts). */
export function TaskRows({
  todos,
  today,
  selectedId,
  revealId = null,
  handlers,
  listNames,
  className = "task-list",
  label,
}: {
  todos: readonly Todo[];
  today: string;
  selectedId: string | null;
  /** A row to bring into view once it is there (a task just added). */
  revealId?: string | null;
  handlers: TodoItemHandlers;
  listNames?: ReadonlyMap<string, string>;
  className?: string;
  label: string;
}) {
  const ids = todos.map((todo) => todo.id);
  const rows = useRowWindow(ids);
  useRevealRow(ids, revealId, rows.reveal);
  return (
    <ul className={className} aria-label={label} ref={rows.listRef} style={rows.listStyle} onFocus={rows.onFocus} onBlur={rows.onBlur}>
      {rows.indexes.map((index) => {
        const todo = todos[index]!;
        return (
          <TodoItem
            key={todo.id}
            todo={todo}
            pending={false}
            today={today}
            listName={listNames?.get(todo.listId)}
            selected={todo.id === selectedId}
            handlers={handlers}
            place={rows.place(index)}
          />
        );
      })}
    </ul>
  );
}

// dnd-kit is not needed for the first paint: the rows show at once, the handles when it has loaded.
const SortableTaskRows = lazy(() => import("./SortableTaskRows"));

/** The main section of a list: mark all (labelled, above the tasks) and the filtered tasks. */
export function TodoList({
  todos,
  allCompleted,
  emptyMessage,
  onToggleAll,
  onReorder,
  ...rows
}: {
  todos: Todo[];
  allCompleted: boolean;
  emptyMessage: string;
  onToggleAll: (completed: boolean) => void;
  onReorder: (id: string, order: number) => void;
  today: string;
  selectedId: string | null;
  revealId: string | null;
  handlers: TodoItemHandlers;
}) {
  return (
    <section className="main" aria-label="Tasks of this list">
      <div className="toggle-all-row">
        <input
          id="toggle-all"
          className="toggle-all"
          type="checkbox"
          checked={allCompleted}
          onChange={(event) => onToggleAll(event.target.checked)}
        />
        <label htmlFor="toggle-all">Mark all as complete</label>
      </div>
      <Suspense fallback={<TaskRows todos={todos} className="todo-list" label="Tasks" {...rows} />}>
        <SortableTaskRows todos={todos} className="todo-list" label="Tasks" onReorder={onReorder} {...rows} />
      </Suspense>
      {todos.length === 0 ? <p className="filter-empty">{emptyMessage}</p> : null}
    </section>
  );
}
