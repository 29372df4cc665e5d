/**
 * Runtime configuration from the environment. Deployed functions get the table names from infra
 * (environment variables rather than an SST link, which would grant dynamodb:* on the table);
 * the offline stack sets the same variables plus DYNAMODB_ENDPOINT.
 */
import * as z from "zod";

const Environment = z.object({
  TODOS_TABLE_NAME: z.string().min(1),
  IDEMPOTENCY_TABLE_NAME: z.string().min(1).optional(),
  /** The per-user rate limit's counters (user-rate-limiter.ts); every HTTP route counts in it. */
  RATE_LIMITS_TABLE_NAME: z.string().min(1),
  /**
   * One user's fair share: requests per window of seconds. infra/api.ts and the offline stack set
   * them from the capacity model (infra/capacity-model.ts, USER_RATE_LIMIT); tests that send many
   * requests as one user raise them.
   */
  USER_RATE_LIMIT_REQUESTS: z.coerce.number().int().positive(),
  USER_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive(),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
  MAX_TODOS_PER_USER: z.coerce.number().int().positive().optional(),
  /** Lists per user, the default one included (tests lower it; the contract's limit is 100). */
  MAX_LISTS_PER_USER: z.coerce.number().int().min(1).max(100).optional(),
});
export type RuntimeConfig = z.infer<typeof Environment>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}
