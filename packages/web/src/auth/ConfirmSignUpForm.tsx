import { useState } from "react";
import { confirmAccount, resendConfirmationCode } from "./account";
import { AuthForm, CodeField, FormNotice, requireCode, useSubmit } from "./form-parts";

export function ConfirmSignUpForm({
  email,
  notice,
  onConfirmed,
  onSignIn,
}: {
  email: string;
  notice?: string | null;
  onConfirmed: (next: "autoSignIn" | "signIn") => void | Promise<void>;
  onSignIn: () => void;
}) {
  const [code, setCode] = useState("");
  const [status, setStatus] = useState<string | null>(notice ?? `We emailed a confirmation code to ${email}.`);
  const submission = useSubmit();

  function resend() {
    setStatus(null);
    void submission.run(async () => {
      await resendConfirmationCode(email);
      setStatus(`We sent a new code to ${email}.`);
    });
  }

  return (
    <AuthForm
      id="confirm"
      title="Confirm your email"
      submission={submission}
      submitLabel="Confirm"
      onSubmit={async () => {
        await onConfirmed(await confirmAccount(email, requireCode(code)));
      }}
      links={[
        { label: "Resend code", onClick: resend, disabled: submission.busy },
        { label: "Back to sign in", onClick: onSignIn },
      ]}
    >
      <FormNotice message={status} />
      <CodeField value={code} onChange={setCode} />
    </AuthForm>
  );
}
