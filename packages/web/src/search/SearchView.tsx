import type { Todo } from "@tasks/core/contract";
import { useMemo } from "react";
import { TaskRows } from "../tasks/TodoList";
import type { TodoItemHandlers } from "../tasks/TodoItem";
import { searchTasks } from "./search";

/** Results across lists as the person types (the search field is in the top bar). */
export function SearchView({
  query,
  tasks,
  today,
  listNames,
  selectedId,
  handlers,
}: {
  query: string;
  tasks: readonly Todo[];
  today: string;
  listNames: ReadonlyMap<string, string>;
  selectedId: string | null;
  handlers: TodoItemHandlers;
}) {
  const results = useMemo(() => searchTasks(tasks, query), [tasks, query]);
  return (
    <section className="todoapp search" aria-labelledby="search-title">
      <header className="header">
        <h1 id="search-title" tabIndex={-1}>
          {query.trim() ? `Results for “${query.trim()}”` : "Search"}
        </h1>
      </header>
      <p className="search-summary" role="status">
        {query.trim() === ""
          ? "Type in the search field to find tasks in every list."
          : results.length === 0
            ? "No tasks match."
            : `${results.length} ${results.length === 1 ? "task" : "tasks"} found`}
      </p>
      {results.length > 0 ? (
        <TaskRows todos={results} today={today} listNames={listNames} selectedId={selectedId} handlers={handlers} label="Search results" />
      ) : null}
    </section>
  );
}
