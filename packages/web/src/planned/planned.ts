import { byOrder } from "../data";
import type { Todo } from "@tasks/core/contract";
import { dueGroup, type DueGroup } from "./dates";

export const GROUPS: ReadonlyArray<{ group: DueGroup; label: string }> = [
  { group: "overdue", label: "Overdue" },
  { group: "today", label: "Today" },
  { group: "tomorrow", label: "Tomorrow" },
  { group: "later", label: "Later" },
];

/** Open tasks with a due date, across lists, by group, each group by due date then list order. */
export function plannedGroups(tasks: readonly Todo[], today: string): Map<DueGroup, Todo[]> {
  const groups = new Map<DueGroup, Todo[]>(GROUPS.map(({ group }) => [group, []]));
  const planned = tasks.filter((todo) => todo.due !== null && !todo.completed);
  planned.sort((a, b) => (a.due! < b.due! ? -1 : a.due! > b.due! ? 1 : byOrder(a, b)));
  for (const todo of planned) groups.get(dueGroup(todo.due!, today))!.push(todo);
  return groups;
}
