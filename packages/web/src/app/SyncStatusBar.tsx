/**
 * What the sync engine has to say: offline (with the changes waiting to be sent), conflicts it
 * resolved, and writes the server refused, which wait for the person to discard them.
 */
import { useSyncEngine, useSyncStatus } from "../data";
import type { Notice } from "../sync/sync-engine";

/** The API's field names as a person says them. */
const FIELD_WORDS: Record<string, string> = { due: "due date", listId: "list", order: "place in the list", completed: "check", position: "place" };

/** "title", "title and notes", "title, notes and due date". */
function fieldList(fields: readonly string[]): string {
  const words = fields.map((field) => FIELD_WORDS[field] ?? field);
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function describe(notice: Notice): string {
  switch (notice.kind) {
    case "conflict": {
      const plural = notice.fields.length > 1 || notice.fields[0] === "notes";
      return `“${notice.title}” was also changed on another device; your ${fieldList(notice.fields)} ${plural ? "were" : "was"} kept on top of it.`;
    }
    case "deletedElsewhere":
      return `“${notice.title}” was deleted on another device; your change to it was not saved.`;
    case "setAside":
      return "A change could not be saved.";
  }
}

const changes = (count: number) => `${count} ${count === 1 ? "change" : "changes"}`;

export function SyncStatusBar() {
  const engine = useSyncEngine();
  const { online, pending, notices, setAside } = useSyncStatus();
  return (
    <div className="sync-status" aria-live="polite">
      {!online ? (
        <p className="sync-offline" role="status">
          Offline{pending > 0 ? ` · ${changes(pending)} not synced yet` : ""}
        </p>
      ) : pending > 0 ? (
        <p className="sync-pending" role="status">
          Syncing {changes(pending)}…
        </p>
      ) : null}
      {notices
        .filter((notice) => notice.kind !== "setAside")
        .map((notice) => (
          <p key={notice.id} className="sync-notice">
            {describe(notice)}{" "}
            <button type="button" className="button" onClick={() => engine.dismissNotice(notice.id)}>
              Dismiss
            </button>
          </p>
        ))}
      {setAside.map((write) => (
        <p key={write.seq} className="sync-notice">
          A change the server refused ({write.method} {write.path.replace(/\?.*$/, "")}) was not saved.{" "}
          <button type="button" className="button" onClick={() => void engine.discardSetAside(write.seq)}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
