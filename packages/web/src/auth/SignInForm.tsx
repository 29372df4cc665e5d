import { useState, type FormEvent } from "react";
import { signInWithEmail, type AuthNextStep } from "./account";
import { Field, FormError, FormInputError, FormNotice, requireEmail, useSubmit } from "./form-parts";

export function SignInForm({
  initialEmail = "",
  notice,
  onDone,
  onSignUp,
  onForgotPassword,
}: {
  initialEmail?: string;
  notice?: string | null;
  onDone: (next: AuthNextStep, email: string) => void | Promise<void>;
  onSignUp: () => void;
  onForgotPassword: (email: string) => void;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const { busy, error, run } = useSubmit();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const address = requireEmail(email);
      if (!password) throw new FormInputError("Enter your password.");
      const next = await signInWithEmail(address, password);
      await onDone(next, address);
    });
  }

  return (
    <form className="auth-form" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <FormNotice message={notice} />
      <Field label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
      <Field
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <FormError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <div className="auth-links">
        <button type="button" className="link" onClick={() => onForgotPassword(email.trim())}>
          Forgot password?
        </button>
        <button type="button" className="link" onClick={onSignUp}>
          No account yet? Sign up
        </button>
      </div>
    </form>
  );
}
