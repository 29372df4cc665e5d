import { useState, type FormEvent } from "react";
import { requestPasswordReset } from "./account";
import { Field, FormError, requireEmail, useSubmit } from "./form-parts";

export function ForgotPasswordForm({
  initialEmail = "",
  onCodeSent,
  onSignIn,
}: {
  initialEmail?: string;
  onCodeSent: (email: string) => void;
  onSignIn: () => void;
}) {
  const [email, setEmail] = useState(initialEmail);
  const { busy, error, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const address = requireEmail(email);
      await requestPasswordReset(address);
      onCodeSent(address);
    });
  }

  return (
    <form className="auth-form" onSubmit={submit} noValidate aria-labelledby="forgot-title">
      <h1 id="forgot-title">Reset your password</h1>
      <p>Enter your email and we will send you a code to choose a new password.</p>
      <Field label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        Send code
      </button>
      <div className="auth-links">
        <button type="button" className="link" onClick={onSignIn}>
          Back to sign in
        </button>
      </div>
    </form>
  );
}
