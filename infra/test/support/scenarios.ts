/**
 * The deployments the infra tests look at, each evaluated once per test run (global-setup.ts)
 * with SST's real components. The environment is set in full (the developer's shell does not
 * leak in): what is not named here is unset.
 */
import type { EvaluateOptions } from "../../platform/evaluate";

const NO_DEPLOY_ENV = { TASKS_DOMAIN: undefined, SITE_ORIGIN: undefined, ALARM_EMAIL: undefined, TASKS_REGION: undefined };

export const DOMAIN = "tasks.example.com";
export const EXPLICIT_ORIGIN = "https://d1.cloudfront.net";

/** A route the route table does not have: new routes must be picked up with nothing else changed. */
export const EXTRA_ROUTE = {
  method: "GET",
  path: "/health",
  handler: "todos/get",
  permissions: { todos: ["dynamodb:GetItem"], rateLimits: ["dynamodb:UpdateItem"] },
} as const;

const withRoute = (route: object) => ({
  "packages/functions/src/routes.ts": (source: string) => `${source}\n(routes as unknown as object[]).push(${JSON.stringify(route)});\n`,
});

export const SCENARIOS = {
  /** A developer's stage, nothing configured. */
  dev: { stage: "dev", env: NO_DEPLOY_ENV },
  /** CI's stage: custom domain, alarm e-mail, another region. */
  staging: { stage: "staging", env: { ...NO_DEPLOY_ENV, TASKS_DOMAIN: DOMAIN, ALARM_EMAIL: "ops@example.com", TASKS_REGION: "eu-west-1" } },
  production: { stage: "production", env: { ...NO_DEPLOY_ENV, TASKS_DOMAIN: DOMAIN } },
  /** What `sst dev` evaluates for a personal stage. */
  sstDev: { stage: "alice", dev: true, env: { ...NO_DEPLOY_ENV, TASKS_DOMAIN: DOMAIN } },
  /** A stage served on a known CloudFront URL, with one more route in the route table. */
  preview: { stage: "pr-42", env: { ...NO_DEPLOY_ENV, SITE_ORIGIN: `${EXPLICIT_ORIGIN}/` }, overlay: withRoute(EXTRA_ROUTE) },
  /** Must not deploy: production without a site origin for CORS. */
  productionWithoutDomain: { stage: "production", env: NO_DEPLOY_ENV },
  /** Must not deploy: an ANY route (CORS preflight would need a token). */
  anyRoute: { stage: "dev", env: NO_DEPLOY_ENV, overlay: withRoute({ ...EXTRA_ROUTE, method: "ANY", path: "/{proxy+}" }) },
} satisfies Record<string, EvaluateOptions>;

export type ScenarioName = keyof typeof SCENARIOS;
