/**
 * Where the SPA is served from, decided before any resource exists.
 *
 * Why not simply use the StaticSite's CloudFront URL for CORS? It is a cycle: the site's build
 * needs the API URL (VITE_API_URL), and the API's CORS configuration would need the site's URL,
 * which CloudFront only assigns once the distribution (and therefore the build) exists. So the
 * origin is known up front instead:
 *
 * 1. `sst dev` — StaticSite does not deploy; the site runs on the Vite dev server, so that origin.
 * 2. `TASKS_DOMAIN` set — the site gets a custom domain per stage (the domain itself for
 *    production, `<stage>.<domain>` otherwise; a Route 53 hosted zone for it must exist).
 * 3. `SITE_ORIGIN` set — an origin you know already, typically the CloudFront URL printed by a
 *    first deploy of a stage without a domain (`siteUrl` output), fed back on the next deploy.
 * 4. Otherwise a non-production stage allows only the Vite dev origin (a local SPA against the
 *    deployed API works; the CloudFront-hosted SPA needs step 3). Production refuses to deploy:
 *    its CORS must name its real origin, never a guess and never `*`.
 *
 * No SST globals here, so the rules are unit-tested directly.
 */

/** Vite's default dev-server origin (packages/web `pnpm run dev`). */
export const VITE_DEV_ORIGIN = "http://localhost:5173";

export interface SiteOriginInput {
  stage: string;
  /** True under `sst dev`. */
  dev: boolean;
  /** TASKS_DOMAIN: the base domain, e.g. "tasks.example.com". */
  baseDomain?: string | undefined;
  /** SITE_ORIGIN: an explicit origin, e.g. "https://d111111abcdef8.cloudfront.net". */
  explicitOrigin?: string | undefined;
}

export interface SiteOrigin {
  /** Custom domain for the StaticSite, if any. */
  domain?: string;
  /** The origins API Gateway's CORS allows (exact scheme://host[:port], no path). */
  origins: string[];
}

export function resolveSiteOrigin(input: SiteOriginInput): SiteOrigin {
  const baseDomain = input.baseDomain?.trim() || undefined;
  const explicitOrigin = input.explicitOrigin?.trim() || undefined;
  if (input.dev) return { origins: [VITE_DEV_ORIGIN] };
  if (baseDomain) {
    const domain = input.stage === "production" ? baseDomain : `${input.stage}.${baseDomain}`;
    return { domain, origins: [`https://${domain}`] };
  }
  if (explicitOrigin) return { origins: [normalizeOrigin(explicitOrigin)] };
  if (input.stage === "production") {
    throw new Error(
      "The production stage needs TASKS_DOMAIN (or SITE_ORIGIN): its API's CORS must name the site's origin.",
    );
  }
  return { origins: [VITE_DEV_ORIGIN] };
}

function normalizeOrigin(value: string): string {
  const url = new URL(value);
  if (url.protocol !== "https:" || url.origin === "null") {
    throw new Error(`SITE_ORIGIN must be an https origin, got "${value}"`);
  }
  return url.origin;
}
