/**
 * Reordering with @dnd-kit: drag a row's handle with a mouse or finger, or focus the handle and
 * use Space, the arrow keys, Space again (Escape cancels), with dnd-kit's screen-reader
 * announcements worded with the tasks' titles. Loaded lazily: the first paint does not need it.
 */
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { Todo } from "@tasks/core/contract";
import { memo, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { reorder } from "./reorder";
import { useRevealRow, useRowWindow, type RowPlacement } from "./row-window";
import { TodoItem, type TodoItemHandlers } from "./TodoItem";

// Module constants: a new options object per render would give DndContext new sensors, and every
// sortable row would re-render with it (a toggle at 1 000 tasks would re-render 1 000 rows).
const POINTER = { activationConstraint: { distance: 4 } };
const TOUCH = { activationConstraint: { delay: 200, tolerance: 6 } };
const KEYBOARD = { coordinateGetter: sortableKeyboardCoordinates };
const INSTRUCTIONS = {
  draggable:
    "To move this task, press Space. Use the up and down arrow keys to move it, Space to drop it where it is, or Escape to cancel.",
};

/**
 * The rows' tasks, by id, outside React's props: a changed task re-renders its own row only. Given
 * as props, every change would re-render DndContext and with it every sortable row (useSortable
 * reads DndContext), which at 1 000 tasks made a toggle several times slower than at 10.
 */
function createRowStore(todos: readonly Todo[]) {
  let byId = new Map(todos.map((todo) => [todo.id, todo]));
  const listeners = new Set<() => void>();
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: (id: string) => byId.get(id),
    set(next: readonly Todo[]) {
      byId = new Map(next.map((todo) => [todo.id, todo]));
      for (const listener of listeners) listener();
    },
  };
}
type RowStore = ReturnType<typeof createRowStore>;

export default function SortableTaskRows({
  todos,
  onReorder,
  ...rest
}: {
  todos: readonly Todo[];
  today: string;
  selectedId: string | null;
  revealId: string | null;
  handlers: TodoItemHandlers;
  onReorder: (id: string, order: number) => void;
  className: string;
  label: string;
}) {
  const [store] = useState(() => createRowStore(todos));
  useLayoutEffect(() => store.set(todos), [store, todos]);
  // The same array while the ids are the same: the frame re-renders when rows come, go or move.
  const idsKey = todos.map((todo) => todo.id).join(" ");
  const ids = useMemo(() => (idsKey === "" ? [] : idsKey.split(" ")), [idsKey]);
  const latest = useRef({ todos, onReorder });
  latest.current = { todos, onReorder };
  return <SortableFrame ids={ids} store={store} latest={latest} {...rest} />;
}

const SortableFrame = memo(function SortableFrame({
  ids,
  store,
  latest,
  today,
  selectedId,
  revealId,
  handlers,
  className,
  label,
}: {
  ids: string[];
  store: RowStore;
  latest: { current: { todos: readonly Todo[]; onReorder: (id: string, order: number) => void } };
  today: string;
  selectedId: string | null;
  revealId: string | null;
  handlers: TodoItemHandlers;
  className: string;
  label: string;
}) {
  const sensors = useSensors(useSensor(PointerSensor, POINTER), useSensor(TouchSensor, TOUCH), useSensor(KeyboardSensor, KEYBOARD));
  const idsRef = useRef(ids);
  idsRef.current = ids;
  const rows = useRowWindow(ids);
  useRevealRow(ids, revealId, rows.reveal);
  // Windowed, dnd-kit sorts the rows that are rendered: it measures only what is in the document.
  const rendered = useMemo(() => rows.indexes.map((index) => ids[index]!), [rows.indexes.join(" "), ids]); // eslint-disable-line react-hooks/exhaustive-deps
  // The announcements read the latest rows through refs, so that they keep one identity.
  const accessibility = useMemo(() => {
    const titleOf = (id: string | number) => store.get(String(id))?.title ?? "the task";
    const positionOf = (id: string | number) => idsRef.current.indexOf(String(id)) + 1;
    const count = () => idsRef.current.length;
    const announcements: Announcements = {
      onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}, position ${positionOf(active.id)} of ${count()}.`,
      onDragOver: ({ active, over }) =>
        !over
          ? `${titleOf(active.id)} is no longer over the list.`
          : over.id === active.id
            ? `${titleOf(active.id)} is at position ${positionOf(over.id)} of ${count()}.`
            : `${titleOf(active.id)} moved to position ${positionOf(over.id)} of ${count()}.`,
      onDragEnd: ({ active, over }) =>
        over ? `${titleOf(active.id)} dropped at position ${positionOf(over.id)} of ${count()}.` : `${titleOf(active.id)} dropped.`,
      onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled. It is back at position ${positionOf(active.id)}.`,
    };
    return { announcements, screenReaderInstructions: INSTRUCTIONS };
  }, [store]);

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over) return;
    const { todos, onReorder } = latest.current;
    const order = reorder(todos, ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
    if (order !== null) onReorder(String(active.id), order);
  }

  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={accessibility}>
      <SortableContext items={rendered} strategy={verticalListSortingStrategy}>
        <ul className={className} aria-label={label} ref={rows.listRef} style={rows.listStyle} onFocus={rows.onFocus} onBlur={rows.onBlur}>
          {rows.indexes.map((index) => {
            const id = ids[index]!;
            return <SortableRow key={id} id={id} store={store} today={today} selected={id === selectedId} handlers={handlers} place={rows.place(index)} />;
          })}
        </ul>
      </SortableContext>
    </DndContext>
  );
});

const SortableRow = memo(function SortableRow({
  id,
  store,
  today,
  selected,
  handlers,
  place,
}: {
  id: string;
  store: RowStore;
  today: string;
  selected: boolean;
  handlers: TodoItemHandlers;
  place: RowPlacement | undefined;
}) {
  const todo = useSyncExternalStore(store.subscribe, () => store.get(id));
  // A task created offline can be moved at once: the queue sends its create first.
  const pending = !todo;
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id,
    disabled: pending,
  });
  if (!todo) return null;
  return (
    <TodoItem
      todo={todo}
      pending={pending}
      today={today}
      selected={selected}
      handlers={handlers}
      place={place}
      sortable={{
        setNodeRef,
        style: { transform: CSS.Translate.toString(transform), transition },
        dragging: isDragging,
        handle: (
          <button
            type="button"
            ref={setActivatorNodeRef}
            className="drag-handle"
            {...attributes}
            {...listeners}
            aria-label={`Reorder ${todo.title}`}
          >
            <span aria-hidden="true">⋮⋮</span>
          </button>
        ),
      }}
    />
  );
});
