import { Title, type Todo } from "@tasks/core/contract";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useShownAtOnce } from "./use-shown-at-once";

/** One task: a checkbox, its title (double-click or Enter to edit) and a delete button. */
export function TodoItem({
  todo,
  pending,
  onToggle,
  onRename,
  onDelete,
  onInvalid,
}: {
  todo: Todo;
  /** Not yet created on the server: shown, but cannot be changed yet. */
  pending: boolean;
  onToggle: (completed: boolean) => void;
  onRename: (title: string) => void;
  onDelete: () => void;
  onInvalid: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(todo.title);
  // Enter/Escape end the edit and unmount the field, which may also fire blur: finish only once.
  const editingRef = useRef(false);
  const editRef = useRef<HTMLInputElement>(null);
  const labelRef = useRef<HTMLLabelElement>(null);
  const returnFocus = useRef(false);
  const titleId = useId();
  // The click or the saved edit shows at once; the task from the cache takes over when it changes.
  const [completed, showCompleted] = useShownAtOnce(todo.completed, todo);
  const [shownTitle, showTitle] = useShownAtOnce(todo.title, todo);

  useEffect(() => {
    if (editing) editRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      labelRef.current?.focus();
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
        onDelete();
        return;
      }
      const title = Title.safeParse(text);
      if (!title.success) {
        onInvalid(`The task title ${title.error.issues[0]?.message ?? "is not valid"}.`);
        if (keepFocus) return; // stay in the field so the title can be fixed
      } else if (title.data !== shownTitle) {
        showTitle(title.data);
        onRename(title.data);
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

  function onLabelKeyDown(event: KeyboardEvent<HTMLLabelElement>) {
    if (event.key === "Enter" || event.key === "F2") {
      event.preventDefault();
      startEditing();
    }
  }

  const classes = [completed ? "completed" : "", editing ? "editing" : "", pending ? "pending" : ""]
    .filter(Boolean)
    .join(" ");

  return (
    <li className={classes || undefined} aria-busy={pending || undefined}>
      <div className="view">
        <input
          className="toggle"
          type="checkbox"
          checked={completed}
          disabled={pending}
          aria-labelledby={titleId}
          onChange={(event) => {
            showCompleted(event.target.checked);
            onToggle(event.target.checked);
          }}
        />
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- keyboard access to editing */}
        <label
          id={titleId}
          ref={labelRef}
          tabIndex={pending ? -1 : 0}
          // Focusable and activated by Enter: announce it as the control it is.
          role="button"
          aria-description="Double-click or press Enter to edit"
          title="Double-click or press Enter to edit"
          onDoubleClick={startEditing}
          onKeyDown={onLabelKeyDown}
        >
          {shownTitle}
        </label>
        <button
          type="button"
          className="destroy"
          disabled={pending}
          aria-label={`Delete ${shownTitle}`}
          onClick={onDelete}
        />
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
}
