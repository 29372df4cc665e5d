/**
 * Numbers shared by the deployed stack and the offline one. Plain constants, no SST globals:
 * infra/api.ts and infra/auth.ts use them, and so can plain Node code (the local gateway in
 * packages/local, the SPA's sign-up form) with a relative import of this file.
 */

import { ROUTE_THROTTLE, USER_RATE_LIMIT } from "./capacity-model";

/**
 * API Gateway stage throttling (token bucket), applied to each route on its own: steady requests
 * per second and burst size, sized by the capacity model (docs/capacity.md, "Limits in the
 * deployed stack"). Above them API Gateway answers 429; the local gateway applies the same numbers.
 */
export const API_THROTTLE = ROUTE_THROTTLE;

/**
 * One user's fair share (docs/capacity.md, "Fair share"), enforced by the HTTP wrapper: the
 * deployed functions and the offline stack get it in their environment.
 */
export { USER_RATE_LIMIT };

/**
 * The API's CORS settings besides the allowed origins (the site's, per stage): API Gateway gets
 * them in infra/api.ts, the offline gateway answers with the same.
 */
export const API_CORS = {
  allowMethods: ["GET", "POST", "PATCH", "DELETE"],
  allowHeaders: ["authorization", "content-type", "if-match", "idempotency-key"],
  exposeHeaders: ["location", "retry-after"],
  maxAgeSeconds: 3600,
} as const;

/**
 * How long a Cognito access token lives (infra/auth.ts). A closed account's marks last that long
 * after its Cognito user is deleted (packages/core/src/account.ts).
 */
export const ACCESS_TOKEN_VALIDITY_HOURS = 1;

/** The Cognito password policy; the SPA shows the same rules (one definition, in core). */
export { PASSWORD_POLICY } from "../packages/core/src/password-policy";
