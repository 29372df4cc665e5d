/** Due dates are calendar days (`YYYY-MM-DD`) in the person's own time zone. */

const pad = (n: number) => String(n).padStart(2, "0");

export function isoDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return isoDay(new Date(y, m - 1, d + days));
}

export type DueGroup = "overdue" | "today" | "tomorrow" | "later";

export function dueGroup(due: string, today: string): DueGroup {
  if (due < today) return "overdue";
  if (due === today) return "today";
  if (due === addDays(today, 1)) return "tomorrow";
  return "later";
}

const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const yearFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

/** "Today", "Tomorrow", "Yesterday", or the date ("Wed, 2 Dec"; with the year when not this year). */
export function formatDue(due: string, today: string): string {
  if (due === today) return "Today";
  if (due === addDays(today, 1)) return "Tomorrow";
  if (due === addDays(today, -1)) return "Yesterday";
  const [y, m, d] = due.split("-").map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  return (y === Number(today.slice(0, 4)) ? weekdayFormat : yearFormat).format(date);
}
