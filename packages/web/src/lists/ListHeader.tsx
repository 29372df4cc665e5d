import { ListName, type List } from "@tasks/core/contract";
import { useEffect, useRef, useState } from "react";
import { Icon } from "../ui/icons";

/** The list's name as the page's heading, with Rename and (not for the default list) Delete. */
export function ListHeader({
  list,
  onRename,
  onDelete,
  onInvalid,
}: {
  list: List;
  onRename: (name: string) => void;
  onDelete: () => void;
  onInvalid: (message: string) => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(list.name);
  const inputRef = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const wasRenaming = useRef(false);

  useEffect(() => {
    if (renaming) inputRef.current?.select();
    else if (wasRenaming.current) renameButton.current?.focus();
    wasRenaming.current = renaming;
  }, [renaming]);

  function finish(save: boolean) {
    if (save) {
      const parsed = ListName.safeParse(name);
      if (!parsed.success) {
        onInvalid(`The list name ${parsed.error.issues[0]?.message ?? "is not valid"}.`);
        return;
      }
      if (parsed.data !== list.name) onRename(parsed.data);
    }
    setRenaming(false);
  }

  return (
    <header className="header">
      {renaming ? (
        <form
          className="rename-list"
          onSubmit={(event) => {
            event.preventDefault();
            finish(true);
          }}
        >
          <label htmlFor="list-name" className="visually-hidden">
            List name
          </label>
          <input
            id="list-name"
            ref={inputRef}
            value={name}
            maxLength={200}
            onChange={(event) => setName(event.target.value)}
            onKeyDown={(event) => event.key === "Escape" && finish(false)}
            onBlur={() => finish(true)}
          />
          <h1 id="list-title" className="visually-hidden">
            {list.name}
          </h1>
        </form>
      ) : (
        <h1 id="list-title" tabIndex={-1}>
          {list.name}
        </h1>
      )}
      <div className="list-actions">
        <button
          type="button"
          ref={renameButton}
          className="icon-button"
          aria-label={`Rename list ${list.name}`}
          title="Rename list"
          onClick={() => {
            setName(list.name);
            setRenaming(true);
          }}
        >
          <Icon name="pencil" />
        </button>
        {list.isDefault ? null : (
          <button type="button" className="icon-button" aria-label={`Delete list ${list.name}`} title="Delete list" onClick={onDelete}>
            <Icon name="trash" />
          </button>
        )}
      </div>
    </header>
  );
}
