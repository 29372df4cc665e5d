import type { Todo } from "@tasks/core/contract";
import { byOrder } from "../data";

/** Case- and accent-insensitive, as a person types: "cafe" finds "Café". */
const fold = (text: string) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();

/** Tasks whose title or notes contain every word of the query, open ones first. */
export function searchTasks(tasks: readonly Todo[], query: string): Todo[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  return tasks
    .filter((todo) => {
      const text = fold(`${todo.title}\n${todo.notes}`);
      return words.every((word) => text.includes(word));
    })
    .sort((a, b) => Number(a.completed) - Number(b.completed) || byOrder(a, b));
}
