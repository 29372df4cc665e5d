/**
 * Numbers shared by the deployed stack and the offline one. Plain constants, no SST globals:
 * infra/api.ts and infra/auth.ts use them, and so can plain Node code (the local gateway in
 * packages/local, the SPA's sign-up form) with a relative import of this file.
 */

/**
 * API Gateway stage throttling (token bucket): steady requests per second and burst size.
 * Above them API Gateway answers 429; the local gateway applies the same numbers.
 */
export const API_THROTTLE = {
  rateLimit: 50,
  burstLimit: 100,
} as const;

/**
 * The Cognito password policy. The SPA shows these rules next to the password field, so they
 * live here rather than only inside the user pool's settings.
 */
export const PASSWORD_POLICY = {
  minimumLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
} as const;
