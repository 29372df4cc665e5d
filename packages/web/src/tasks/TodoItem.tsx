import { Title, type Todo } from "@tasks/core/contract";
import { memo, useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from "react";
import { useIsUnsynced } from "../data";
import { dueGroup, formatDue } from "../planned/dates";
import type { RowPlacement } from "./row-window";
import { Icon } from "../ui/icons";
import { useShownAtOnce } from "./use-shown-at-once";

/** What a sortable row (./SortableTaskRows.tsx) adds: its node, its moving style, a drag handle. */
export interface SortableBinding {
  setNodeRef: (element: HTMLElement | null) => void;
  style: CSSProperties;
  dragging: boolean;
  handle: ReactNode;
}

export interface TodoItemHandlers {
  onToggle: (id: string, completed: boolean) => void;
  onRename: (id: string, title: string) => void;
  onDelete: (todo: Todo) => void;
  onOpen: (id: string) => void;
  onInvalid: (message: string) => void;
}

/**
 * One task: a round check, its title (double-click to edit in place, TodoMVC's way), its due date
 * and notes at a glance, a details button (title, notes, due date, list) and a delete button.
 */
export const TodoItem = memo(function TodoItem({
  todo,
  pending,
  today,
  listName,
  selected,
  handlers,
  sortable,
  place,
}: {
  todo: Todo;
  /** Not yet created on the server: shown, but cannot be changed yet. */
  pending: boolean;
  today: string;
  /** In views across lists: the list it is in. */
  listName?: string | undefined;
  selected?: boolean;
  handlers: TodoItemHandlers;
  sortable?: SortableBinding;
  /** Its place in a windowed list (./row-window.ts). */
  place?: RowPlacement | undefined;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(todo.title);
  // Enter/Escape end the edit and unmount the field, which may also fire blur: finish only once.
  const editingRef = useRef(false);
  const editRef = useRef<HTMLInputElement>(null);
  const toggleRef = useRef<HTMLInputElement>(null);
  const returnFocus = useRef(false);
  // The click or the saved edit shows at once; the task from the cache takes over when it changes.
  const [completed, showCompleted] = useShownAtOnce(todo.completed, todo);
  const [shownTitle, showTitle] = useShownAtOnce(todo.title, todo);
  const unsynced = useIsUnsynced(todo.id);

  useEffect(() => {
    if (editing) editRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      toggleRef.current?.focus();
    }
  }, [editing]);

  function startEditing() {
    if (pending) return;
    setText(shownTitle);
    editingRef.current = true;
    setEditing(true);
  }

  function finish(save: boolean, keepFocus: boolean) {
    if (!editingRef.current) return;
    if (save) {
      if (text.trim() === "") {
        editingRef.current = false;
        handlers.onDelete(todo);
        return;
      }
      const title = Title.safeParse(text);
      if (!title.success) {
        handlers.onInvalid(`The task title ${title.error.issues[0]?.message ?? "is not valid"}.`);
        if (keepFocus) return; // stay in the field so the title can be fixed
      } else if (title.data !== shownTitle) {
        showTitle(title.data);
        handlers.onRename(todo.id, title.data);
      }
    }
    editingRef.current = false;
    returnFocus.current = keepFocus;
    setEditing(false);
  }

  function onEditKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" && !event.nativeEvent.isComposing) finish(true, true);
    else if (event.key === "Escape") finish(false, true);
  }

  function onToggleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    // F2 edits in place, as in a file manager; the details button is the visible way.
    if (event.key === "F2") {
      event.preventDefault();
      startEditing();
    }
  }

  const classes = [
    completed ? "completed" : "",
    editing ? "editing" : "",
    pending ? "pending" : "",
    selected ? "selected" : "",
    sortable?.dragging ? "dragging" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const overdue = todo.due !== null && !completed && dueGroup(todo.due, today) === "overdue";
  const hasMeta = todo.due !== null || todo.notes !== "" || listName !== undefined;

  return (
    <li
      className={classes || undefined}
      aria-busy={pending || undefined}
      data-task-id={todo.id}
      ref={place?.ref && sortable ? joinRefs(place.ref, sortable.setNodeRef) : (place?.ref ?? sortable?.setNodeRef)}
      style={place?.style ? { ...place.style, ...sortable?.style } : sortable?.style}
      data-index={place?.index}
      aria-posinset={place?.index !== undefined ? place.index + 1 : undefined}
      aria-setsize={place?.setSize}
    >
      <div className="view">
        {sortable?.handle}
        <input
          ref={toggleRef}
          className="toggle"
          type="checkbox"
          checked={completed}
          disabled={pending}
          aria-label={shownTitle}
          onKeyDown={onToggleKeyDown}
          onChange={(event) => {
            showCompleted(event.target.checked);
            handlers.onToggle(todo.id, event.target.checked);
          }}
        />
        <div className="title">
          <label onDoubleClick={startEditing}>{shownTitle}</label>
          {hasMeta ? (
            <span className="meta">
              {listName !== undefined ? <span className="meta-list">{listName}</span> : null}
              {todo.due !== null ? (
                <span className={overdue ? "meta-due overdue" : "meta-due"}>
                  <Icon name="calendar" size={14} />
                  {overdue ? <span className="visually-hidden">Overdue: </span> : <span className="visually-hidden">Due </span>}
                  {formatDue(todo.due, today)}
                </span>
              ) : null}
              {todo.notes !== "" ? (
                <span className="meta-notes" title="Has notes">
                  <Icon name="notes" size={14} />
                  <span className="visually-hidden">Has notes</span>
                </span>
              ) : null}
            </span>
          ) : null}
        </div>
        {unsynced ? (
          <span className="unsynced" role="img" aria-label="Not synced yet" title="Saved on this device, not synced yet">
            <Icon name="unsynced" size={18} />
          </span>
        ) : null}
        <button
          type="button"
          className="details"
          disabled={pending}
          aria-label={`Details of ${shownTitle}`}
          aria-expanded={selected ?? false}
          title="Details: title, notes, due date, list"
          onClick={() => handlers.onOpen(todo.id)}
        >
          <Icon name="chevron" />
        </button>
        <button
          type="button"
          className="destroy"
          disabled={pending}
          aria-label={`Delete ${shownTitle}`}
          title="Delete"
          onClick={() => handlers.onDelete(todo)}
        >
          <Icon name="close" size={18} />
        </button>
      </div>
      {editing ? (
        <input
          ref={editRef}
          className="edit"
          aria-label={`Edit ${shownTitle}`}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onEditKeyDown}
          onBlur={() => finish(true, false)}
        />
      ) : null}
    </li>
  );
});

function joinRefs(...refs: Array<(element: HTMLElement | null) => void>) {
  return (element: HTMLElement | null) => {
    for (const ref of refs) ref(element);
  };
}
