import { useEffect, useState } from "react";
import type { Todo } from "@tasks/core/contract";

export type Filter = "all" | "active" | "completed";

export const FILTER_LINKS: ReadonlyArray<{ filter: Filter; href: string; label: string }> = [
  { filter: "all", href: "#/", label: "All" },
  { filter: "active", href: "#/active", label: "Active" },
  { filter: "completed", href: "#/completed", label: "Completed" },
];

export function filterFromHash(hash: string): Filter {
  if (hash === "#/active") return "active";
  if (hash === "#/completed") return "completed";
  return "all";
}

export function applyFilter(todos: readonly Todo[], filter: Filter): Todo[] {
  if (filter === "active") return todos.filter((todo) => !todo.completed);
  if (filter === "completed") return todos.filter((todo) => todo.completed);
  return [...todos];
}

/** The filter lives in the URL hash (TodoMVC routes), so it survives a reload. */
export function useHashFilter(): Filter {
  const [filter, setFilter] = useState(() => filterFromHash(window.location.hash));
  useEffect(() => {
    const onHashChange = () => setFilter(filterFromHash(window.location.hash));
    window.addEventListener("hashchange", onHashChange);
    return () => window.removeEventListener("hashchange", onHashChange);
  }, []);
  return filter;
}
