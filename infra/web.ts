/**
 * The SPA on S3 + CloudFront, built with the pool, client and API it talks to, served over HTTPS
 * only with security headers from a CloudFront response-headers policy.
 */
import { api } from "./api";
import { live } from "./realtime";
import { userPool, userPoolClient } from "./auth";
import { contentSecurityPolicy, HSTS_MAX_AGE_SECONDS } from "./security-headers";
import { region, site } from "./stage";
import { VITE_DEV_ORIGIN } from "./site-origin";

export const securityHeaders = new aws.cloudfront.ResponseHeadersPolicy("WebSecurityHeaders", {
  comment: `Security headers for the tasks SPA (${$app.stage})`,
  securityHeadersConfig: {
    contentSecurityPolicy: {
      contentSecurityPolicy: $resolve({ apiUrl: api.url, wsUrl: live.url }).apply(({ apiUrl, wsUrl }) =>
        contentSecurityPolicy({ apiOrigin: apiUrl, wsOrigin: wsUrl, region }),
      ),
      override: true,
    },
    strictTransportSecurity: {
      accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
      includeSubdomains: true,
      override: true,
    },
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: "DENY", override: true },
    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
  },
});

export const web = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "pnpm run build", output: "dist" },
  ...(site.domain ? { domain: site.domain } : {}),
  environment: {
    VITE_USER_POOL_ID: userPool.id,
    VITE_USER_POOL_CLIENT_ID: userPoolClient.id,
    VITE_API_URL: api.url,
    VITE_WS_URL: live.url,
    VITE_REGION: region,
  },
  // Under `sst dev` the site is not deployed: Vite serves it on the origin CORS allows.
  dev: { command: "pnpm run dev", url: VITE_DEV_ORIGIN },
  transform: {
    cdn: (args) => {
      // The object form of $resolve: SST 4.17.1 declares the two-element tuple form with an
      // undefined `Unwrap`, which types the behaviour so that it cannot be spread (TS2698).
      args.defaultCacheBehavior = $resolve({ behavior: args.defaultCacheBehavior, policyId: securityHeaders.id }).apply(
        ({ behavior, policyId }) => ({
          ...behavior,
          viewerProtocolPolicy: "redirect-to-https",
          responseHeadersPolicyId: policyId,
        }),
      );
    },
  },
});
