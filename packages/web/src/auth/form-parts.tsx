import { useId, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from "react";
import * as z from "zod";
import { AuthFailure } from "./cognito";
import { unmetPasswordRules } from "./password-policy";

export function Field({
  label,
  description,
  ...input
}: { label: string; description?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const descriptionId = `${id}-description`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={description ? descriptionId : undefined} {...input} />
      {description ? (
        <div id={descriptionId} className="field-description">
          {description}
        </div>
      ) : null}
    </div>
  );
}

/** The emailed confirmation code, as both confirmation forms ask for it. */
export function CodeField({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  return (
    <Field
      label="Confirmation code"
      inputMode="numeric"
      autoComplete="one-time-code"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      autoFocus
    />
  );
}

/** The form's failure message: announced by screen readers as soon as it appears. */
function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="form-error">
      {message}
    </p>
  );
}

export function FormNotice({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="status" className="form-notice">
      {message}
    </p>
  );
}

/** Busy and error state of a form submit; any thrown error becomes a message in the form. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(
        failure instanceof AuthFailure || failure instanceof FormInputError
          ? failure.message
          : "Something went wrong. Please try again.",
      );
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

export interface AuthLink {
  label: string;
  onClick: () => void;
  disabled?: boolean;
}

/**
 * The frame every auth form shares: a titled form (its accessible name), the fields given as
 * children, the failure message, the submit button named by its action, and the links below.
 */
export function AuthForm({
  id,
  title,
  submission,
  onSubmit,
  submitLabel,
  busyLabel = submitLabel,
  links,
  children,
}: {
  id: string;
  title: string;
  submission: ReturnType<typeof useSubmit>;
  onSubmit: () => Promise<void>;
  submitLabel: string;
  busyLabel?: string;
  links: AuthLink[];
  children: ReactNode;
}) {
  function submit(event: FormEvent) {
    event.preventDefault();
    void submission.run(onSubmit);
  }
  return (
    <form className="auth-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{title}</h1>
      {children}
      <FormError message={submission.error} />
      <button type="submit" className="primary" disabled={submission.busy}>
        {submission.busy ? busyLabel : submitLabel}
      </button>
      <div className="auth-links">
        {links.map((link) => (
          <button key={link.label} type="button" className="link" onClick={link.onClick} disabled={link.disabled}>
            {link.label}
          </button>
        ))}
      </div>
    </form>
  );
}

/** A problem with what was typed, found before anything is sent. */
export class FormInputError extends Error {}

const Email = z.email();

export function requireEmail(value: string): string {
  const email = value.trim();
  if (!email) throw new FormInputError("Enter your email.");
  if (!Email.safeParse(email).success) throw new FormInputError("Enter a valid email address, like name@example.com.");
  return email;
}

/** `subject` names the field in the message: "The password", "The new password". */
export function requireStrongPassword(value: string, subject: string): string {
  const unmet = unmetPasswordRules(value);
  if (unmet.length > 0) {
    throw new FormInputError(`${subject} needs: ${unmet.map((rule) => rule.toLowerCase()).join(", ")}.`);
  }
  return value;
}

export function requireCode(value: string): string {
  const code = value.trim();
  if (!code) throw new FormInputError("Enter the confirmation code from the email.");
  return code;
}
