import type { List } from "@tasks/core/contract";
import { Dialog } from "../ui/Dialog";

export function DeleteListDialog({
  list,
  taskCount,
  onConfirm,
  onCancel,
}: {
  list: List;
  taskCount: number;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog title={`Delete “${list.name}”?`} onCancel={onCancel}>
      <p>
        {taskCount === 0
          ? "The list is empty."
          : `Its ${taskCount} ${taskCount === 1 ? "task is" : "tasks are"} deleted with it.`}{" "}
        You can undo this for a few seconds.
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={onConfirm}>
          Delete list
        </button>
      </div>
    </Dialog>
  );
}
