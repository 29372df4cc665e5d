import { DueDate, Notes, Title, type List, type PatchTodoInput, type Todo } from "@tasks/core/contract";
import { useEffect, useId, useRef, useState } from "react";
import { formatDue } from "../planned/dates";
import { Icon } from "../ui/icons";

/**
 * The details of one task: title, notes, due date and list (moving it). Text is saved when the
 * field is left (or Enter in the title); the date and the list as soon as they change.
 */
export function TaskDetail({
  todo,
  lists,
  today,
  onChange,
  onDelete,
  onClose,
  onInvalid,
}: {
  todo: Todo;
  lists: readonly List[];
  today: string;
  onChange: (patch: PatchTodoInput) => void;
  onDelete: () => void;
  onClose: () => void;
  onInvalid: (message: string) => void;
}) {
  const id = useId();
  const [title, setTitle] = useState(todo.title);
  const [notes, setNotes] = useState(todo.notes);
  const titleRef = useRef<HTMLInputElement>(null);

  // Another task opened in the same pane: start from its values.
  useEffect(() => {
    setTitle(todo.title);
    setNotes(todo.notes);
  }, [todo.id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    titleRef.current?.focus();
  }, [todo.id]);

  function saveTitle() {
    const parsed = Title.safeParse(title);
    if (!parsed.success) {
      onInvalid(`The task title ${parsed.error.issues[0]?.message ?? "is not valid"}.`);
      setTitle(todo.title);
      return;
    }
    if (parsed.data !== todo.title) onChange({ title: parsed.data });
  }

  function saveNotes() {
    const parsed = Notes.safeParse(notes);
    if (!parsed.success) {
      onInvalid(`The notes ${parsed.error.issues[0]?.message ?? "are not valid"}.`);
      return;
    }
    if (parsed.data !== todo.notes) onChange({ notes: parsed.data });
  }

  return (
    <aside
      className="detail"
      aria-labelledby={`${id}-heading`}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="detail-head">
        <h2 id={`${id}-heading`}>Task details</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <div className="detail-body">
        <div className="field">
          <label htmlFor={`${id}-title`}>Title</label>
          <input
            id={`${id}-title`}
            ref={titleRef}
            className="detail-title"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            onBlur={saveTitle}
            onKeyDown={(event) => event.key === "Enter" && !event.nativeEvent.isComposing && saveTitle()}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-due`}>Due date</label>
          <div className="due-row">
            <input
              id={`${id}-due`}
              type="date"
              min="2000-01-01"
              max="2999-12-31"
              value={todo.due ?? ""}
              aria-describedby={todo.due ? `${id}-due-text` : undefined}
              onChange={(event) => {
                const value = event.target.value;
                if (value === "") onChange({ due: null });
                else if (DueDate.safeParse(value).success) onChange({ due: value });
              }}
            />
            {todo.due ? (
              <>
                <span id={`${id}-due-text`} className="due-text">
                  {formatDue(todo.due, today)}
                </span>
                <button type="button" className="button small" onClick={() => onChange({ due: null })}>
                  Remove date
                </button>
              </>
            ) : null}
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-list`}>List</label>
          <select id={`${id}-list`} value={todo.listId} onChange={(event) => onChange({ listId: event.target.value })}>
            {lists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-notes`}>Notes</label>
          <textarea
            id={`${id}-notes`}
            rows={6}
            value={notes}
            placeholder="Add notes"
            onChange={(event) => setNotes(event.target.value)}
            onBlur={saveNotes}
          />
        </div>
      </div>
      <div className="detail-foot">
        <span className="detail-created">Created {new Date(todo.createdAt).toLocaleDateString()}</span>
        <button type="button" className="button danger" onClick={onDelete}>
          <Icon name="trash" size={18} /> Delete task
        </button>
      </div>
    </aside>
  );
}
