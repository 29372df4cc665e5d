import { useEffect, useId, useRef, useState, type ReactNode } from "react";

/**
 * A modal dialog: focus moves into it, Tab stays inside, Escape or the backdrop cancels, and focus
 * returns to where it was when it closes.
 */
export function Dialog({
  title,
  onCancel,
  children,
  className,
}: {
  title: string;
  onCancel: () => void;
  children: ReactNode;
  className?: string;
}) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  // Read while rendering: by the time effects run, autoFocus has already moved focus inside.
  const [opener] = useState(() => document.activeElement as HTMLElement | null);

  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>("[autofocus], input, textarea, select, button");
    first?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);

  function onKeyDown(event: React.KeyboardEvent) {
    if (event.key === "Escape") {
      event.stopPropagation();
      onCancel();
      return;
    }
    if (event.key !== "Tab" || !ref.current) return;
    const focusable = [...ref.current.querySelectorAll<HTMLElement>("input, textarea, select, button, a[href]")].filter(
      (element) => !element.hasAttribute("disabled"),
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  }

  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onCancel()}>
      <div
        ref={ref}
        className={`dialog ${className ?? ""}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
