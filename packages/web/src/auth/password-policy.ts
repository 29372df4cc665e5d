/** The user pool's password policy (infra/auth.ts), checked in the browser before submit. */
export const PASSWORD_RULES = [
  { id: "length", label: "At least 8 characters", test: (p: string) => [...p].length >= 8 },
  { id: "lower", label: "A lowercase letter", test: (p: string) => /[a-z]/.test(p) },
  { id: "upper", label: "An uppercase letter", test: (p: string) => /[A-Z]/.test(p) },
  { id: "digit", label: "A number", test: (p: string) => /[0-9]/.test(p) },
  // Cognito counts these as symbols: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space.
  { id: "symbol", label: "A symbol (for example ! ? # @)", test: (p: string) => /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(p) },
] as const;

export function unmetPasswordRules(password: string): string[] {
  return PASSWORD_RULES.filter((rule) => !rule.test(password)).map((rule) => rule.label);
}
