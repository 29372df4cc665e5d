/**
 * The SPA's door to Amplify Auth, part 2: the account flows behind the sign-in forms. Kept apart
 * from ./cognito.ts so that a signed-in visit never downloads the sign-in machinery (SRP etc.):
 * this module is only loaded with the auth screen.
 */
import {
  autoSignIn,
  confirmResetPassword,
  confirmSignUp,
  resendSignUpCode,
  resetPassword,
  signIn,
  signOut,
  signUp,
} from "aws-amplify/auth";
import { AuthFailure, errorName, toAuthFailure, usesPasswordFlow } from "./cognito";

/** What the caller must do next after a sign-in or sign-up step. */
export type AuthNextStep = "done" | "confirmSignUp" | "resetPassword" | "signIn";

export async function signInWithEmail(email: string, password: string): Promise<AuthNextStep> {
  const run = () =>
    signIn({
      username: email,
      password,
      ...(usesPasswordFlow() ? { options: { authFlowType: "USER_PASSWORD_AUTH" as const } } : {}),
    });
  try {
    let result;
    try {
      result = await run();
    } catch (error) {
      // A stale session (e.g. after a 401) would block a new sign-in: clear it and try again once.
      if (errorName(error) !== "UserAlreadyAuthenticatedException") throw error;
      await signOut().catch(() => undefined);
      result = await run();
    }
    switch (result.nextStep.signInStep) {
      case "DONE":
        return "done";
      case "CONFIRM_SIGN_UP":
        return "confirmSignUp";
      case "RESET_PASSWORD":
        return "resetPassword";
      default:
        throw new AuthFailure(
          "UnsupportedStep",
          "This account needs a sign-in step that this app does not support yet.",
        );
    }
  } catch (error) {
    throw toAuthFailure(error);
  }
}

export async function signUpWithEmail(email: string, password: string): Promise<AuthNextStep> {
  try {
    const result = await signUp({
      username: email,
      password,
      options: {
        userAttributes: { email },
        // Amplify keeps the password in memory and signs in once the code is confirmed.
        autoSignIn: usesPasswordFlow() ? { authFlowType: "USER_PASSWORD_AUTH" } : true,
      },
    });
    return result.nextStep.signUpStep === "CONFIRM_SIGN_UP" ? "confirmSignUp" : "signIn";
  } catch (error) {
    throw toAuthFailure(error);
  }
}

/** "autoSignIn" when Amplify can sign in now (the sign-up happened in this page), else "signIn". */
export async function confirmAccount(email: string, code: string): Promise<"autoSignIn" | "signIn"> {
  try {
    const result = await confirmSignUp({ username: email, confirmationCode: code });
    return result.nextStep.signUpStep === "COMPLETE_AUTO_SIGN_IN" ? "autoSignIn" : "signIn";
  } catch (error) {
    throw toAuthFailure(error);
  }
}

/** Signs in with the credentials of the sign-up just confirmed; false if that is not possible. */
export async function completeAutoSignIn(): Promise<boolean> {
  try {
    const result = await autoSignIn();
    return result.isSignedIn;
  } catch {
    return false;
  }
}

export async function resendConfirmationCode(email: string): Promise<void> {
  try {
    await resendSignUpCode({ username: email });
  } catch (error) {
    throw toAuthFailure(error);
  }
}

export async function requestPasswordReset(email: string): Promise<void> {
  try {
    await resetPassword({ username: email });
  } catch (error) {
    throw toAuthFailure(error);
  }
}

export async function completePasswordReset(email: string, code: string, newPassword: string): Promise<void> {
  try {
    await confirmResetPassword({ username: email, confirmationCode: code, newPassword });
  } catch (error) {
    throw toAuthFailure(error);
  }
}
