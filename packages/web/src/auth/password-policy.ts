/** The user pool's password policy (from core, as infra configures it), checked before submit. */
// Its own module, not the contract: the sign-in page's script does not build the API's schemas.
import { PASSWORD_POLICY } from "@tasks/core/password-policy";

interface PasswordRule {
  id: string;
  label: string;
  test: (password: string) => boolean;
}

const candidates: [boolean, PasswordRule][] = [
  [
    true,
    {
      id: "length",
      label: `At least ${PASSWORD_POLICY.minimumLength} characters`,
      test: (p) => [...p].length >= PASSWORD_POLICY.minimumLength,
    },
  ],
  [PASSWORD_POLICY.requireLowercase, { id: "lower", label: "A lowercase letter", test: (p) => /[a-z]/.test(p) }],
  [PASSWORD_POLICY.requireUppercase, { id: "upper", label: "An uppercase letter", test: (p) => /[A-Z]/.test(p) }],
  [PASSWORD_POLICY.requireNumbers, { id: "digit", label: "A number", test: (p) => /[0-9]/.test(p) }],
  [
    PASSWORD_POLICY.requireSymbols,
    {
      id: "symbol",
      label: "A symbol (for example ! ? # @)",
      // Cognito counts these as symbols: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space.
      test: (p) => /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(p),
    },
  ],
];

export const PASSWORD_RULES: readonly PasswordRule[] = candidates.filter(([on]) => on).map(([, rule]) => rule);

export function unmetPasswordRules(password: string): string[] {
  return PASSWORD_RULES.filter((rule) => !rule.test(password)).map((rule) => rule.label);
}
