import { useState, type FormEvent } from "react";
import { confirmAccount, resendConfirmationCode } from "./account";
import { Field, FormError, FormNotice, requireCode, useSubmit } from "./form-parts";

export function ConfirmSignUpForm({
  email,
  notice,
  onConfirmed,
  onSignIn,
}: {
  email: string;
  notice?: string | null;
  onConfirmed: () => void;
  onSignIn: () => void;
}) {
  const [code, setCode] = useState("");
  const [status, setStatus] = useState<string | null>(notice ?? `We emailed a confirmation code to ${email}.`);
  const { busy, error, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await confirmAccount(email, requireCode(code));
      onConfirmed();
    });
  }

  function resend() {
    setStatus(null);
    void run(async () => {
      await resendConfirmationCode(email);
      setStatus(`We sent a new code to ${email}.`);
    });
  }

  return (
    <form className="auth-form" onSubmit={submit} noValidate aria-labelledby="confirm-title">
      <h1 id="confirm-title">Confirm your email</h1>
      <FormNotice message={status} />
      <Field
        label="Confirmation code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        autoFocus
      />
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        Confirm
      </button>
      <div className="auth-links">
        <button type="button" className="link" onClick={resend} disabled={busy}>
          Resend code
        </button>
        <button type="button" className="link" onClick={onSignIn}>
          Back to sign in
        </button>
      </div>
    </form>
  );
}
