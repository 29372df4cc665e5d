import { ORDER_BOUND, type Todo } from "@tasks/core/contract";

/** Room left before the first or after the last task, in `order` units (milliseconds by default). */
const STEP = 1_000;

/**
 * The `order` that puts `moved` between its new neighbours in `shown` (the rows as displayed,
 * without `moved`): one PATCH of one task, whatever the length of the list. The midpoint of two
 * neighbours; before the first or after the last, one STEP beyond it. Null when nothing moves.
 */
export function orderBetween(shown: readonly Todo[], index: number): number {
  const before = shown[index - 1];
  const after = shown[index];
  if (before && after) return before.order + (after.order - before.order) / 2;
  if (after) return Math.max(-ORDER_BOUND, after.order - STEP);
  if (before) return Math.min(ORDER_BOUND, before.order + STEP);
  return Date.now();
}

/** The new `order` of the task at `from` moved to `to` in `rows`, or null if it stays. */
export function reorder(rows: readonly Todo[], from: number, to: number): number | null {
  if (from === to || from < 0 || to < 0 || from >= rows.length || to >= rows.length) return null;
  const without = rows.filter((_, i) => i !== from);
  return orderBetween(without, to);
}
