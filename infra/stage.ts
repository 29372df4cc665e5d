/**
 * Per-stage facts every infra module needs, read once from SST's globals.
 */
import { resolveSiteOrigin } from "./site-origin";

export const isProduction = $app.stage === "production";

/** The region pinned in sst.config.ts (providers.aws.region): one source for every module. */
export const region: string = (() => {
  const value = $app.providers?.aws?.region;
  if (typeof value !== "string" || value === "") {
    throw new Error("sst.config.ts must pin providers.aws.region");
  }
  return value;
})();

/** CloudWatch retention for function logs and API access logs. */
export const logRetention = isProduction ? "1 year" : "1 month";

/** The SPA's origin and optional custom domain (see site-origin.ts for why it is known early). */
export const site = resolveSiteOrigin({
  stage: $app.stage,
  dev: $dev,
  baseDomain: process.env.TASKS_DOMAIN,
  explicitOrigin: process.env.SITE_ORIGIN,
});
