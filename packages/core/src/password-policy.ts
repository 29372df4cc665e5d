/**
 * The user pool's password policy: infra/auth.ts configures Cognito with it and the SPA shows
 * and checks the same rules before submit.
 */
export const PASSWORD_POLICY = {
  minimumLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
} as const;
