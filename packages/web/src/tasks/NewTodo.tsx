import { Title } from "@tasks/core/contract";
import { useState, type KeyboardEvent, type Ref } from "react";

/** The header of the list: the app title and the field that adds a task on Enter. */
export function NewTodo({
  onAdd,
  onInvalid,
  inputRef,
}: {
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
    <header className="header">
      <h1>todos</h1>
      <label htmlFor="new-todo" className="visually-hidden">
        New task
      </label>
      <input
        id="new-todo"
        ref={inputRef}
        className="new-todo"
        placeholder="What needs to be done?"
        autoComplete="off"
        autoFocus
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
    </header>
  );
}
