import { useState } from "react";
import { signUpWithEmail, type AuthNextStep } from "./account";
import { AuthForm, Field, requireEmail, requireStrongPassword, useSubmit } from "./form-parts";
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
  const submission = useSubmit();

  return (
    <AuthForm
      id="sign-up"
      title="Create your account"
      submission={submission}
      submitLabel="Create account"
      busyLabel="Creating account…"
      onSubmit={async () => {
        const address = requireEmail(email);
        requireStrongPassword(password, "The password");
        onDone(await signUpWithEmail(address, password), address);
      }}
      links={[{ label: "Already have an account? Sign in", onClick: onSignIn }]}
    >
      <Field label="Email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
      <Field
        label="Password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => {
          setPassword(e.target.value);
          // "The password needs: …" follows the rules as they turn green, and goes once all are met.
          if (submission.error?.startsWith("The password needs")) {
            try {
              requireStrongPassword(e.target.value, "The password");
              submission.setError(null);
            } catch (error) {
              submission.setError((error as Error).message);
            }
          }
        }}
        description={<PasswordRules password={password} />}
      />
    </AuthForm>
  );
}
