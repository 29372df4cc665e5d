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
import { memo, useMemo } from "react";
import { isOptimistic } from "../data";
import { reorder } from "./reorder";
import { TodoItem, type TodoItemHandlers } from "./TodoItem";

export default function SortableTaskRows({
  todos,
  today,
  selectedId,
  handlers,
  onReorder,
  className,
  label,
}: {
  todos: readonly Todo[];
  today: string;
  selectedId: string | null;
  handlers: TodoItemHandlers;
  onReorder: (id: string, order: number) => void;
  className: string;
  label: string;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  // The same array while the ids are the same: a toggle does not re-render every sortable row.
  const idsKey = todos.map((todo) => todo.id).join(" ");
  const ids = useMemo(() => (idsKey === "" ? [] : idsKey.split(" ")), [idsKey]);
  const titleOf = (id: string | number) => todos.find((todo) => todo.id === id)?.title ?? "the task";
  const positionOf = (id: string | number) => ids.indexOf(String(id)) + 1;

  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}, position ${positionOf(active.id)} of ${ids.length}.`,
    onDragOver: ({ active, over }) =>
      !over
        ? `${titleOf(active.id)} is no longer over the list.`
        : over.id === active.id
          ? `${titleOf(active.id)} is at position ${positionOf(over.id)} of ${ids.length}.`
          : `${titleOf(active.id)} moved to position ${positionOf(over.id)} of ${ids.length}.`,
    onDragEnd: ({ active, over }) =>
      over ? `${titleOf(active.id)} dropped at position ${positionOf(over.id)} of ${ids.length}.` : `${titleOf(active.id)} dropped.`,
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled. It is back at position ${positionOf(active.id)}.`,
  };

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over) return;
    const order = reorder(todos, ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
    if (order !== null) onReorder(String(active.id), order);
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            "To move this task, press Space. Use the up and down arrow keys to move it, Space to drop it where it is, or Escape to cancel.",
        },
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ul className={className} aria-label={label}>
          {todos.map((todo) => (
            <SortableRow key={todo.id} todo={todo} today={today} selected={todo.id === selectedId} handlers={handlers} />
          ))}
        </ul>
      </SortableContext>
    </DndContext>
  );
}

const SortableRow = memo(function SortableRow({
  todo,
  today,
  selected,
  handlers,
}: {
  todo: Todo;
  today: string;
  selected: boolean;
  handlers: TodoItemHandlers;
}) {
  const pending = isOptimistic(todo);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: todo.id,
    disabled: pending,
  });
  return (
    <TodoItem
      todo={todo}
      pending={pending}
      today={today}
      selected={selected}
      handlers={handlers}
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
