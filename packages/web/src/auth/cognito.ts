/**
 * The SPA's door to Amplify Auth, part 1: configuration and the current session. Components call
 * these functions (and those in ./account.ts), never Amplify directly, so the sign-in flow choice
 * and the error wording live in one place. Only the auth category of Amplify is imported.
 */
import { Amplify } from "aws-amplify";
import { fetchAuthSession, signOut } from "aws-amplify/auth";
import type { AppConfig } from "../config";

let passwordFlow = false;

/** True when signing in must use USER_PASSWORD_AUTH instead of SRP (see configureAuth). */
export function usesPasswordFlow(): boolean {
  return passwordFlow;
}

export function configureAuth(config: AppConfig): void {
  // cognito-local has no SRP (README, "Offline stack"), so offline we use USER_PASSWORD_AUTH; on AWS the
  // password never leaves the browser thanks to SRP (Amplify's default).
  passwordFlow = config.cognitoEndpoint !== undefined;
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        ...(config.cognitoEndpoint ? { userPoolEndpoint: config.cognitoEndpoint } : {}),
        loginWith: { email: true },
        signUpVerificationMethod: "code",
      },
    },
  });
}

export interface SignedInUser {
  /** Cognito `sub`: stable per user, used to keep one user's cached tasks from another's. */
  userId: string;
  email: string;
}

export async function currentUser(): Promise<SignedInUser | null> {
  const session = await fetchAuthSession();
  const access = session.tokens?.accessToken;
  if (!access) return null;
  const idPayload = session.tokens?.idToken?.payload;
  const email = typeof idPayload?.email === "string" ? idPayload.email : String(access.payload.username ?? "");
  return { userId: String(access.payload.sub ?? session.userSub ?? ""), email };
}

/**
 * A current access token for the API. Amplify refreshes the tokens with the refresh token when
 * they are within a few seconds of expiry, so every request goes out with a live token.
 */
export async function getAccessToken({ forceRefresh = false, userId }: { forceRefresh?: boolean; userId?: string } = {}): Promise<string> {
  const session = await fetchAuthSession({ forceRefresh });
  const access = session.tokens?.accessToken;
  if (!access) throw new AuthFailure("NotSignedIn", "You are signed out. Please sign in again.");
  // Tabs share the stored session: after someone else signed in in another tab, this tab's
  // user is signed out, whatever the new tokens say.
  if (userId !== undefined && access.payload.sub !== userId) throw new AuthFailure("NotSignedIn", "You are signed out. Please sign in again.");
  return access.toString();
}

/** Amplify keeps the session in localStorage under this prefix (its default token store). */
const SESSION_KEY_PREFIX = "CognitoIdentityServiceProvider.";

/**
 * Calls `changed` when another tab of this browser signs in or out: the `storage` event fires in
 * every other tab when a stored session key changes (or `localStorage.clear()` ran, key null).
 */
export function onSessionChangedElsewhere(changed: () => void): () => void {
  const listener = (event: StorageEvent) => {
    if (event.storageArea === localStorage && (event.key === null || event.key.startsWith(SESSION_KEY_PREFIX))) changed();
  };
  window.addEventListener("storage", listener);
  return () => window.removeEventListener("storage", listener);
}

/** Signs out of this browser. Local tokens are cleared even when Cognito cannot be reached. */
export async function signOutHere(): Promise<void> {
  try {
    await signOut();
  } catch {
    // Amplify clears the local session before revoking; a failed revoke is not the user's problem.
  }
}

/** An auth failure with a message fit to show in a form. */
export class AuthFailure extends Error {
  override readonly name = "AuthFailure";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "";
}

const MESSAGES: Record<string, string> = {
  NotAuthorizedException: "Incorrect email or password.",
  UserNotFoundException: "No account exists for this email. Create an account first.",
  UsernameExistsException: "An account with this email already exists. Sign in instead.",
  CodeMismatchException: "That confirmation code is not correct. Check the email and try again.",
  ExpiredCodeException: "That confirmation code has expired. Request a new code.",
  LimitExceededException: "Too many attempts. Wait a few minutes and try again.",
  TooManyRequestsException: "Too many attempts. Wait a few minutes and try again.",
  TooManyFailedAttemptsException: "Too many attempts. Wait a few minutes and try again.",
  CodeDeliveryFailureException: "The code could not be sent. Check the email address and try again.",
  NetworkError: "Cannot reach the sign-in service. Check your connection and try again.",
  EmptySignInUsername: "Enter your email.",
  EmptySignInPassword: "Enter your password.",
  EmptySignUpUsername: "Enter your email.",
  EmptySignUpPassword: "Enter a password.",
  EmptyConfirmSignUpCode: "Enter the confirmation code.",
  EmptyConfirmResetPasswordConfirmationCode: "Enter the confirmation code.",
  EmptyConfirmResetPasswordNewPassword: "Enter a new password.",
};

export function toAuthFailure(error: unknown): AuthFailure {
  if (error instanceof AuthFailure) return error;
  const name = errorName(error);
  const message = error instanceof Error ? error.message : "";
  if (name === "NotAuthorizedException" && /attempts exceeded/i.test(message)) {
    return new AuthFailure(name, "Too many failed attempts. Wait a few minutes and try again.");
  }
  if (name === "NotAuthorizedException" && /confirm|status/i.test(message)) {
    return new AuthFailure(name, "This account cannot be confirmed again. Sign in instead.");
  }
  if (name === "InvalidPasswordException") {
    return new AuthFailure(name, `The password was rejected: ${message}`);
  }
  if (name === "InvalidParameterException" && message) {
    return new AuthFailure(name, message);
  }
  if (error instanceof TypeError) {
    return new AuthFailure("NetworkError", MESSAGES.NetworkError!);
  }
  return new AuthFailure(
    name || "Unknown",
    MESSAGES[name] ?? (message ? `Something went wrong: ${message}` : "Something went wrong. Please try again."),
  );
}
