/**
 * Long lists render only the rows in and near the viewport (TanStack Virtual, scrolling the page).
 *
 * Every row in the document costs the browser something on every frame — content-visibility's
 * own bookkeeping, the cull rects, the hit test after a layout — so at 1 000 tasks a click's next
 * paint took twice as long as at 10 (`pnpm bench`). Below WINDOWED_FROM rows every row is
 * rendered, as before: the browser's find-in-page sees them all and nothing moves.
 *
 * A windowed row keeps its place for assistive technology (`aria-posinset`/`aria-setsize`); the
 * row holding focus stays rendered wherever the page scrolls, so focus is never dropped to the
 * page; Tab from a row reaches the next one because focusing a row scrolls it into view, which
 * brings its neighbours (the overscan) into the window.
 */
import { defaultRangeExtractor, useWindowVirtualizer, type Range } from "@tanstack/react-virtual";
import { useCallback, useLayoutEffect, useRef, useState, type CSSProperties, type FocusEvent } from "react";

export const WINDOWED_FROM = 200;
/** A row without due date or notes: `.view`'s 52 px and its border. */
const ROW_HEIGHT = 53;
const OVERSCAN = 12;

export interface RowPlacement {
  ref?: (element: HTMLElement | null) => void;
  style?: CSSProperties;
  index?: number;
  setSize?: number;
}

export interface RowWindow {
  /** Indexes into the rows, in order, of those to render. */
  indexes: number[];
  listRef: (element: HTMLUListElement | null) => void;
  listStyle: CSSProperties | undefined;
  onFocus: (event: FocusEvent<HTMLUListElement>) => void;
  onBlur: (event: FocusEvent<HTMLUListElement>) => void;
  /** Where row `index` goes: undefined when every row is rendered. */
  place: (index: number) => RowPlacement | undefined;
  /** Scrolls row `index` into view (rendering it first when windowed). */
  reveal: (index: number) => void;
}

export function useRowWindow(ids: readonly string[]): RowWindow {
  const windowed = ids.length >= WINDOWED_FROM;
  const list = useRef<HTMLUListElement | null>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const focusedIndex = focusedId === null ? -1 : ids.indexOf(focusedId);

  const virtualizer = useWindowVirtualizer<HTMLElement>({
    count: windowed ? ids.length : 0,
    enabled: windowed,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    scrollMargin,
    getItemKey: (index) => ids[index] ?? index,
    // The first render already has rows to show: no blank frame while the window is measured.
    initialRect: { width: typeof window === "undefined" ? 0 : window.innerWidth, height: typeof window === "undefined" ? 0 : window.innerHeight },
    rangeExtractor: (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (focusedIndex >= 0 && !indexes.includes(focusedIndex)) indexes.push(focusedIndex), indexes.sort((a, b) => a - b);
      return indexes;
    },
  });

  // The list's offset in the page: the virtualizer counts rows from the top of the document.
  useLayoutEffect(() => {
    if (!windowed || !list.current) return;
    const top = list.current.getBoundingClientRect().top + window.scrollY;
    if (Math.abs(top - scrollMargin) > 0.5) setScrollMargin(top);
  });

  const listRef = useCallback((element: HTMLUListElement | null) => {
    list.current = element;
  }, []);

  const onFocus = useCallback((event: FocusEvent<HTMLUListElement>) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>("[data-task-id]");
    setFocusedId(row?.dataset.taskId ?? null);
  }, []);
  const onBlur = useCallback((event: FocusEvent<HTMLUListElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocusedId(null);
  }, []);

  if (!windowed) {
    return {
      indexes: ids.map((_, index) => index),
      listRef,
      listStyle: undefined,
      onFocus,
      onBlur,
      place: () => undefined,
      reveal: (index) => (list.current?.children[index] as HTMLElement | undefined)?.scrollIntoView?.({ block: "nearest" }),
    };
  }

  const items = virtualizer.getVirtualItems();
  const starts = new Map(items.map((item) => [item.index, item.start]));
  return {
    indexes: items.map((item) => item.index),
    listRef,
    listStyle: { position: "relative", height: virtualizer.getTotalSize() },
    onFocus,
    onBlur,
    place: (index) => ({
      ref: virtualizer.measureElement,
      style: { position: "absolute", left: 0, right: 0, top: (starts.get(index) ?? index * ROW_HEIGHT + scrollMargin) - scrollMargin },
      index,
      setSize: ids.length,
    }),
    reveal: (index) => virtualizer.scrollToIndex(index, { align: "auto" }),
  };
}

/** Brings the row `id` into view once, when it is among the rows (a new task arrives a moment after it was added). */
export function useRevealRow(ids: readonly string[], id: string | null, reveal: (index: number) => void): void {
  const revealed = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (id === null || revealed.current === id) return;
    const index = ids.indexOf(id);
    if (index < 0) return;
    revealed.current = id;
    reveal(index);
  });
}
