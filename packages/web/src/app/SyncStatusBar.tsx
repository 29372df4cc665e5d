/**
 * What the sync engine has to say: offline (with the changes waiting to be sent), conflicts it
 * resolved, and writes the server refused, which wait for the person to discard them.
 */
import { useSyncEngine, useSyncStatus } from "../data";
import type { Notice } from "../sync/sync-engine";

function describe(notice: Notice): string {
  switch (notice.kind) {
    case "conflict":
      return `“${notice.title}” was also changed on another device; your ${notice.fields.join(", ")} ${notice.fields.length === 1 ? "was" : "were"} kept on top of it.`;
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
