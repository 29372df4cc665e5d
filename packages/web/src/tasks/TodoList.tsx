import type { Todo } from "@tasks/core/contract";
import { TodoItem } from "./TodoItem";
import { isOptimistic } from "./use-todos";

/** The main section: toggle-all and the (filtered) list of tasks. */
export function TodoList({
  todos,
  allCompleted,
  emptyMessage,
  onToggleAll,
  onToggle,
  onRename,
  onDelete,
  onInvalid,
}: {
  todos: Todo[];
  allCompleted: boolean;
  emptyMessage: string;
  onToggleAll: (completed: boolean) => void;
  onToggle: (id: string, completed: boolean) => void;
  onRename: (id: string, title: string) => void;
  onDelete: (id: string) => void;
  onInvalid: (message: string) => void;
}) {
  return (
    <section className="main">
      <input
        id="toggle-all"
        className="toggle-all"
        type="checkbox"
        checked={allCompleted}
        onChange={(event) => onToggleAll(event.target.checked)}
      />
      <label htmlFor="toggle-all">Mark all as complete</label>
      <ul className="todo-list" aria-label="Tasks">
        {todos.map((todo) => (
          <TodoItem
            key={todo.id}
            todo={todo}
            pending={isOptimistic(todo)}
            onToggle={(completed) => onToggle(todo.id, completed)}
            onRename={(title) => onRename(todo.id, title)}
            onDelete={() => onDelete(todo.id)}
            onInvalid={onInvalid}
          />
        ))}
      </ul>
      {todos.length === 0 ? <p className="filter-empty">{emptyMessage}</p> : null}
    </section>
  );
}
