import { useState } from "react";

/**
 * What a control shows right after the person changed it, before the data catches up.
 *
 * A write updates the task cache optimistically, but not within the event: the mutation's
 * onMutate first awaits cancelQueries, and TanStack Query tells components about cache changes
 * on a later task (setTimeout). A controlled input, meanwhile, is reset by React to its prop at the
 * end of the event — so a clicked checkbox would flick back and turn on only a moment later, and
 * an edited title would show the old text until then.
 *
 * `shown(next)`, called in the event handler, displays `next` at once (React commits state set in
 * a discrete event before it restores controlled inputs). It holds until `source` — the data the
 * value derives from, compared by identity (the cache keeps unchanged objects) — changes: from then
 * on `value` is shown again, whether the optimistic write confirmed it or a failure rolled it back.
 */
export function useShownAtOnce<T>(value: T, source: unknown): [T, (next: T) => void] {
  const [override, setOverride] = useState<{ source: unknown; value: T } | null>(null);
  const current = override !== null && override.source === source ? override.value : value;
  return [current, (next) => setOverride({ source, value: next })];
}
