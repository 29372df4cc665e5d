import type { Todo } from "@tasks/core/contract";
import { useMemo } from "react";
import { TaskRows } from "../tasks/TodoList";
import type { TodoItemHandlers } from "../tasks/TodoItem";
import { GROUPS, plannedGroups } from "./planned";

/** Tasks with a due date across lists: overdue, today, tomorrow, later. */
export function PlannedView({
  tasks,
  today,
  listNames,
  selectedId,
  handlers,
}: {
  tasks: readonly Todo[];
  today: string;
  listNames: ReadonlyMap<string, string>;
  selectedId: string | null;
  handlers: TodoItemHandlers;
}) {
  const groups = useMemo(() => plannedGroups(tasks, today), [tasks, today]);
  const empty = GROUPS.every(({ group }) => groups.get(group)!.length === 0);
  return (
    <section className="todoapp planned" aria-labelledby="planned-title">
      <header className="header">
        <h1 id="planned-title" tabIndex={-1}>
          Planned
        </h1>
      </header>
      {empty ? (
        <p className="list-state empty">Nothing planned. Give a task a due date in its details and it shows here.</p>
      ) : (
        GROUPS.map(({ group, label }) => {
          const todos = groups.get(group)!;
          if (todos.length === 0) return null;
          return (
            <section key={group} className={`group group-${group}`} aria-labelledby={`group-${group}`}>
              <h2 id={`group-${group}`}>
                {label} <span className="group-count">{todos.length}</span>
              </h2>
              <TaskRows todos={todos} today={today} listNames={listNames} selectedId={selectedId} handlers={handlers} label={label} />
            </section>
          );
        })
      )}
    </section>
  );
}
