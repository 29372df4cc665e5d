import { useState, type FormEvent } from "react";
import { completePasswordReset } from "./account";
import { Field, FormError, FormNotice, requireCode, requireStrongPassword, useSubmit } from "./form-parts";
import { PasswordRules } from "./PasswordRules";

export function ResetPasswordForm({
  email,
  onReset,
  onSignIn,
}: {
  email: string;
  onReset: () => void;
  onSignIn: () => void;
}) {
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const confirmationCode = requireCode(code);
      requireStrongPassword(password, "The new password");
      await completePasswordReset(email, confirmationCode, password);
      onReset();
    });
  }

  return (
    <form className="auth-form" onSubmit={submit} noValidate aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <FormNotice message={`If an account exists for ${email}, we emailed it a code.`} />
      <Field
        label="Confirmation code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        autoFocus
      />
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        description={<PasswordRules password={password} />}
      />
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        Reset password
      </button>
      <div className="auth-links">
        <button type="button" className="link" onClick={onSignIn}>
          Back to sign in
        </button>
      </div>
    </form>
  );
}
