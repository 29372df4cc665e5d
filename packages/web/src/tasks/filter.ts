import type { Todo } from "@tasks/core/contract";
import type { Filter } from "../app/routes";

export type { Filter };

export const FILTER_LABELS: ReadonlyArray<{ filter: Filter; label: string }> = [
  { filter: "all", label: "All" },
  { filter: "active", label: "Active" },
  { filter: "completed", label: "Completed" },
];

export function applyFilter(todos: readonly Todo[], filter: Filter): Todo[] {
  if (filter === "active") return todos.filter((todo) => !todo.completed);
  if (filter === "completed") return todos.filter((todo) => todo.completed);
  return [...todos];
}
