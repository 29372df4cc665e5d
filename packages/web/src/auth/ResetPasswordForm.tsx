import { useState } from "react";
import { completePasswordReset } from "./account";
import { AuthForm, CodeField, Field, FormNotice, requireCode, requireStrongPassword, useSubmit } from "./form-parts";
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
  const submission = useSubmit();

  return (
    <AuthForm
      id="reset"
      title="Choose a new password"
      submission={submission}
      submitLabel="Reset password"
      onSubmit={async () => {
        const confirmationCode = requireCode(code);
        requireStrongPassword(password, "The new password");
        await completePasswordReset(email, confirmationCode, password);
        onReset();
      }}
      links={[{ label: "Back to sign in", onClick: onSignIn }]}
    >
      <FormNotice message={`If an account exists for ${email}, we emailed it a code.`} />
      <CodeField value={code} onChange={setCode} />
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        description={<PasswordRules password={password} />}
      />
    </AuthForm>
  );
}
