/**
 * The codes Cognito would e-mail, made visible offline: the latest code per e-mail address, for
 * the console ("Confirmation code for a@b.c: 123456"), the proxy's /__local/codes/<email> and
 * tests.
 *
 * Where the codes come from: cognito-local prints each code in a box on its console, but its
 * logger (pino-pretty over sonic-boom) was seen holding a record back until the next one was
 * written — a person or a test could wait forever for a code. It also stores the code on the
 * user (`ConfirmationCode`, which ConfirmSignUp checks) before it answers, so the proxy reads it
 * from there right after a SignUp, ForgotPassword or resend succeeds (cognito-local.ts).
 */

export type CodePurpose = "sign-up" | "password-reset";

export interface ConfirmationCode {
  email: string;
  code: string;
  purpose: CodePurpose;
  /** When the stack learned the code (ms since epoch). */
  receivedAt: number;
}

export class ConfirmationCodeBook {
  private readonly latest = new Map<string, ConfirmationCode>();

  constructor(private readonly onCode: (code: ConfirmationCode) => void = () => undefined) {}

  /** The last code sent to `email` (case-insensitive), if any. */
  latestFor(email: string): ConfirmationCode | undefined {
    return this.latest.get(normalize(email));
  }

  record(email: string, code: string, purpose: CodePurpose): ConfirmationCode {
    const entry = { email: normalize(email), code, purpose, receivedAt: Date.now() };
    this.latest.set(entry.email, entry);
    this.onCode(entry);
    return entry;
  }
}

function normalize(email: string): string {
  return email.trim().toLowerCase();
}

export function describeCode(code: ConfirmationCode): string {
  const what = code.purpose === "password-reset" ? "Password reset code" : "Confirmation code";
  return `${what} for ${code.email}: ${code.code}`;
}
