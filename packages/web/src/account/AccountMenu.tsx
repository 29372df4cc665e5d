import { useEffect, useRef, useState } from "react";
import { describeApiError } from "../api/api-error";
import { useAccountActions } from "../data";
import { Dialog } from "../ui/Dialog";
import { downloadJson } from "./export-file";

/** The typed confirmation: deleting an account cannot be undone. */
export const DELETE_CONFIRMATION = "delete";

/** The account menu: who is signed in, Export my data, Delete account, Sign out. */
export function AccountMenu({
  email,
  onSignOut,
  onDeleted,
  onNotice,
}: {
  email: string;
  onSignOut: () => void;
  /** The account is gone: sign out to the sign-in screen. */
  onDeleted: () => void;
  onNotice: (message: string, tone: "info" | "error") => void;
}) {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);
  const account = useAccountActions();
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  async function exportData() {
    setExporting(true);
    try {
      const name = downloadJson(await account.exportData());
      onNotice(`Your data was saved as ${name}.`, "info");
      setOpen(false);
      buttonRef.current?.focus();
    } catch (error) {
      onNotice(`Your data could not be exported. ${describeApiError(error)}`, "error");
    } finally {
      setExporting(false);
    }
  }

  return (
    <div
      className="account"
      ref={ref}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button
        type="button"
        ref={buttonRef}
        className="account-button"
        aria-expanded={open}
        aria-controls="account-panel"
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {email.slice(0, 1).toUpperCase()}
        </span>
        <span className="visually-hidden">Account:</span> <span className="account-email">{email}</span>
      </button>
      {open ? (
        <div id="account-panel" className="account-panel">
          <p className="account-signed-in">
            Signed in as <strong>{email}</strong>
          </p>
          <button type="button" className="menu-item" onClick={() => void exportData()} disabled={exporting}>
            {exporting ? "Exporting…" : "Export my data"}
          </button>
          <button type="button" className="menu-item danger" onClick={() => setConfirming(true)}>
            Delete account…
          </button>
          <button type="button" className="menu-item" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      ) : null}
      {confirming ? (
        <DeleteAccountDialog
          email={email}
          onCancel={() => setConfirming(false)}
          onDeleted={onDeleted}
          deleteAccount={account.deleteAccount}
        />
      ) : null}
    </div>
  );
}

function DeleteAccountDialog({
  email,
  onCancel,
  onDeleted,
  deleteAccount,
}: {
  email: string;
  onCancel: () => void;
  onDeleted: () => void;
  deleteAccount: () => Promise<void>;
}) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmed = typed.trim().toLowerCase() === DELETE_CONFIRMATION;

  return (
    <Dialog title="Delete your account?" onCancel={() => !busy && onCancel()}>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (!confirmed) return;
          setBusy(true);
          setError(null);
          try {
            await deleteAccount();
            onDeleted();
          } catch (failure) {
            setError(`The account was not deleted. ${describeApiError(failure)}`);
            setBusy(false);
          }
        }}
      >
        <p>
          Every list and task of <strong>{email}</strong> is deleted, and the account with them. This cannot be
          undone: export your data first if you want to keep it.
        </p>
        <div className="field">
          <label htmlFor="delete-confirmation">
            Type <strong>{DELETE_CONFIRMATION}</strong> to confirm
          </label>
          <input
            id="delete-confirmation"
            autoComplete="off"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoFocus
          />
        </div>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button danger" disabled={!confirmed || busy}>
            {busy ? "Deleting…" : "Delete account"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
