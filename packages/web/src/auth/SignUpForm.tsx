import { useState, type FormEvent } from "react";
import { signUpWithEmail, type AuthNextStep } from "./account";
import { Field, FormError, requireEmail, requireStrongPassword, useSubmit } from "./form-parts";
import { PasswordRules } from "./PasswordRules";

export function SignUpForm({
  onDone,
  onSignIn,
}: {
  onDone: (next: AuthNextStep, email: string) => void;
  onSignIn: () => void;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const address = requireEmail(email);
      requireStrongPassword(password, "The password");
      onDone(await signUpWithEmail(address, password), address);
    });
  }

  return (
    <form className="auth-form" onSubmit={submit} noValidate aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">Create your account</h1>
      <Field label="Email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
      <Field
        label="Password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        description={<PasswordRules password={password} />}
      />
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Creating account…" : "Create account"}
      </button>
      <div className="auth-links">
        <button type="button" className="link" onClick={onSignIn}>
          Already have an account? Sign in
        </button>
      </div>
    </form>
  );
}
