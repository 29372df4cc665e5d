import { useState } from "react";
import { signInWithEmail, type AuthNextStep } from "./account";
import { AuthForm, Field, FormInputError, FormNotice, requireEmail, useSubmit } from "./form-parts";

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
  const submission = useSubmit();

  return (
    <AuthForm
      id="sign-in"
      title="Sign in"
      submission={submission}
      submitLabel="Sign in"
      busyLabel="Signing in…"
      onSubmit={async () => {
        const address = requireEmail(email);
        if (!password) throw new FormInputError("Enter your password.");
        await onDone(await signInWithEmail(address, password), address);
      }}
      links={[
        { label: "Forgot password?", onClick: () => onForgotPassword(email.trim()) },
        { label: "No account yet? Sign up", onClick: onSignUp },
      ]}
    >
      <FormNotice message={notice} />
      <Field label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
      <Field
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
    </AuthForm>
  );
}
