import { useState } from "react";
import { requestPasswordReset } from "./account";
import { AuthForm, Field, requireEmail, useSubmit } from "./form-parts";

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
  const submission = useSubmit();

  return (
    <AuthForm
      id="forgot"
      title="Reset your password"
      submission={submission}
      submitLabel="Send code"
      onSubmit={async () => {
        const address = requireEmail(email);
        await requestPasswordReset(address);
        onCodeSent(address);
      }}
      links={[{ label: "Back to sign in", onClick: onSignIn }]}
    >
      <p>Enter your email and we will send you a code to choose a new password.</p>
      <Field label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
    </AuthForm>
  );
}
