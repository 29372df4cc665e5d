import { useId, useState, type InputHTMLAttributes, type ReactNode } from "react";
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

/** The form's failure message: announced by screen readers as soon as it appears. */
export function FormError({ message }: { message: string | null }) {
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
