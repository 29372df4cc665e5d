import { Title } from "@tasks/core/contract";
import { useState, type KeyboardEvent, type Ref } from "react";
import { Icon } from "../ui/icons";

/** The field that adds a task to the list on Enter. */
export function NewTodo({
  listName,
  onAdd,
  onInvalid,
  inputRef,
}: {
  listName: string;
  onAdd: (title: string) => void;
  onInvalid: (message: string) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const [text, setText] = useState("");

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== "Enter" || event.nativeEvent.isComposing) return;
    event.preventDefault();
    if (text.trim() === "") return;
    const title = Title.safeParse(text);
    if (!title.success) {
      onInvalid(`The task title ${title.error.issues[0]?.message ?? "is not valid"}.`);
      return;
    }
    onAdd(title.data);
    setText("");
  }

  return (
    <div className="new-todo-row">
      <Icon name="plus" />
      <label htmlFor="new-todo" className="visually-hidden">
        New task
      </label>
      <input
        id="new-todo"
        ref={inputRef}
        className="new-todo"
        placeholder={`Add a task to ${listName}`}
        autoComplete="off"
        autoFocus
        enterKeyHint="done"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
