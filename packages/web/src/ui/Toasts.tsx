import { useEffect, useRef } from "react";
import { useUndo, useUndoSnapshot } from "../data";
import { Icon } from "./icons";

/** How long an error stays before it dismisses itself (it can be dismissed at once too). */
export const ALERT_MS = 8_000;

/**
 * The toasts, fixed at the bottom so they never push the page: the pending deletion with Undo, and
 * the last error. Ctrl/⌘+Z outside a text field undoes too.
 */
export function Toasts({ alert, onDismissAlert }: { alert: string | null; onDismissAlert: () => void }) {
  const undo = useUndo();
  const { pending } = useUndoSnapshot();
  const regionRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!alert) return;
    const timer = setTimeout(onDismissAlert, ALERT_MS);
    return () => clearTimeout(timer);
  }, [alert, onDismissAlert]);

  useEffect(() => {
    if (!pending) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest("input, textarea, select, [contenteditable]");
      if (!typing && (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") {
        event.preventDefault();
        undo.undo();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [pending, undo]);

  /** The toast's buttons disappear with it: keep focus in the page, not on <body>. */
  const keepFocus = (then: () => void) => {
    const hadFocus = regionRef.current?.contains(document.activeElement) ?? false;
    then();
    if (hadFocus) requestAnimationFrame(() => {
      if (document.activeElement === document.body) document.querySelector<HTMLElement>("main h1, .new-todo")?.focus();
    });
  };

  return (
    <div className="toasts" ref={regionRef}>
      <div role="status" aria-live="polite">
        {pending ? (
          <div className="toast" key={pending.id}>
            <span className="toast-message">{pending.message}</span>
            <button type="button" className="toast-action" onClick={() => keepFocus(() => undo.undo())}>
              Undo
            </button>
            <button type="button" className="toast-close" aria-label="Close" onClick={() => keepFocus(() => void undo.flush())}>
              <Icon name="close" size={18} />
            </button>
          </div>
        ) : null}
      </div>
      {alert ? (
        <div className="toast toast-error" role="alert">
          <span className="toast-message">{alert}</span>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => keepFocus(onDismissAlert)}>
            <Icon name="close" size={18} />
          </button>
        </div>
      ) : null}
    </div>
  );
}
