/**
 * Runtime configuration from the environment. Deployed functions get the table names from infra
 * (environment variables rather than an SST link, which would grant dynamodb:* on the table);
 * the offline stack sets the same variables plus DYNAMODB_ENDPOINT.
 */
import * as z from "zod";

const Environment = z.object({
  TODOS_TABLE_NAME: z.string().min(1),
  IDEMPOTENCY_TABLE_NAME: z.string().min(1).optional(),
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
