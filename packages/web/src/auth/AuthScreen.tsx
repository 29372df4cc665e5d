import { useEffect, useState } from "react";
import { AppMark } from "../ui/icons";
import { completeAutoSignIn, type AuthNextStep } from "./account";
import { ConfirmSignUpForm } from "./ConfirmSignUpForm";
import { ForgotPasswordForm } from "./ForgotPasswordForm";
import { ResetPasswordForm } from "./ResetPasswordForm";
import { useSession } from "./session";
import { SignInForm } from "./SignInForm";
import { SignUpForm } from "./SignUpForm";

type View =
  | { name: "signIn"; email?: string; notice?: string }
  | { name: "signUp" }
  | { name: "confirm"; email: string; notice?: string }
  | { name: "forgot"; email: string }
  | { name: "reset"; email: string };

/** Sign in, sign up, confirm and password reset: one form at a time. */
export function AuthScreen({ notice }: { notice?: string }) {
  const session = useSession();
  const [view, setViewState] = useState<View>({ name: "signIn", ...(notice ? { notice } : {}) });
  // Each form is a step in the browser's history, so Back returns to the previous form instead of
  // leaving the app (the hash stays: it is the list to show after signing in).
  const setView = (next: View) => {
    history.pushState({ authView: next }, "");
    setViewState(next);
  };
  useEffect(() => {
    history.replaceState({ authView: view }, "");
    const onPopState = (event: PopStateEvent) => {
      const previous = (event.state as { authView?: View } | null)?.authView;
      setViewState(previous ?? { name: "signIn" });
    };
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once: the first view is the entry
  }, []);
  const toSignIn = (email?: string, message?: string) =>
    setView({ name: "signIn", ...(email ? { email } : {}), ...(message ? { notice: message } : {}) });

  async function afterSignIn(next: AuthNextStep, email: string) {
    if (next === "confirmSignUp") {
      setView({ name: "confirm", email, notice: "Your email is not confirmed yet. Enter the code we emailed you." });
    } else if (next === "resetPassword") {
      setView({ name: "reset", email });
    } else {
      await session.refresh();
    }
  }

  return (
    <main className="auth-screen">
      <div className="auth-brand">
        <AppMark size={40} />
        <span>Tasks</span>
      </div>
      {view.name === "signIn" && (
        <SignInForm
          key="signIn"
          initialEmail={view.email}
          notice={view.notice}
          onDone={afterSignIn}
          onSignUp={() => setView({ name: "signUp" })}
          onForgotPassword={(email) => setView({ name: "forgot", email })}
        />
      )}
      {view.name === "signUp" && (
        <SignUpForm
          onDone={(next, email) =>
            next === "confirmSignUp"
              ? setView({ name: "confirm", email })
              : toSignIn(email, "Your account is ready. Sign in.")
          }
          onSignIn={() => toSignIn()}
        />
      )}
      {view.name === "confirm" && (
        <ConfirmSignUpForm
          email={view.email}
          notice={view.notice}
          onConfirmed={async (next) => {
            // Right after sign-up, Amplify signs in with the password just chosen (autoSignIn);
            // after a reload (or from sign-in) it cannot, and the person signs in themselves.
            if (next === "autoSignIn" && (await completeAutoSignIn())) await session.refresh();
            else toSignIn(view.email, "Your email is confirmed. Sign in to continue.");
          }}
          onSignIn={() => toSignIn(view.email)}
        />
      )}
      {view.name === "forgot" && (
        <ForgotPasswordForm
          initialEmail={view.email}
          onCodeSent={(email) => setView({ name: "reset", email })}
          onSignIn={() => toSignIn()}
        />
      )}
      {view.name === "reset" && (
        <ResetPasswordForm
          email={view.email}
          onReset={() => toSignIn(view.email, "Your password has been changed. Sign in with the new password.")}
          onSignIn={() => toSignIn(view.email)}
        />
      )}
    </main>
  );
}
