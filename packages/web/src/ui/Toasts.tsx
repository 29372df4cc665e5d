import { useEffect, useRef } from "react";
import { useUndo, useUndoSnapshot } from "../data";
import { Icon } from "./icons";

/** How long a message stays before it dismisses itself (it can be dismissed at once too). */
export const ALERT_MS = 8_000;

/** A message for the person: an error is announced at once (`alert`), news politely (`status`). */
export interface Toast {
  message: string;
  tone: "error" | "info";
}

/**
 * The toasts, fixed at the bottom so they never push the page: the pending deletion with Undo, and
 * the last error. Ctrl/⌘+Z outside a text field undoes too.
 */
export function Toasts({ toast, onDismiss }: { toast: Toast | null; onDismiss: () => void }) {
  const undo = useUndo();
  const { pending } = useUndoSnapshot();
  const regionRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(onDismiss, ALERT_MS);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);

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
      {toast ? (
        <div className={toast.tone === "error" ? "toast toast-error" : "toast"} role={toast.tone === "error" ? "alert" : "status"}>
          <span className="toast-message">{toast.message}</span>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => keepFocus(onDismiss)}>
            <Icon name="close" size={18} />
          </button>
        </div>
      ) : null}
    </div>
  );
}
