import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../platform/paths";
import { contentSecurityPolicy } from "../security-headers";
import { DOMAIN } from "./support/scenarios";
import { stack } from "./support/stack";

const DEPLOYED = ["dev", "staging", "production"] as const;
const headersPolicy = (name: (typeof DEPLOYED)[number]) => stack(name).one("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");

describe("infra/web.ts", () => {
  it.each(DEPLOYED)("serves every request over HTTPS with the security headers policy (%s)", (name) => {
    const behavior = stack(name).one("aws:cloudfront/distribution:Distribution").inputs.defaultCacheBehavior;
    expect(behavior.viewerProtocolPolicy).toBe("redirect-to-https");
    expect(behavior.responseHeadersPolicyId).toBe(headersPolicy(name).id);
  });

  it("sends a CSP that lets the page reach only itself, the API, the live WebSocket API and Cognito", () => {
    const dev = stack("dev");
    const config = headersPolicy("dev").inputs.securityHeadersConfig;
    const csp: string = config.contentSecurityPolicy.contentSecurityPolicy;
    const directives = Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    const apiOrigin = new URL(String(dev.httpApi().state.apiEndpoint)).origin;
    const wsOrigin = new URL(String(dev.webSocketApi().state.apiEndpoint)).origin;
    expect(wsOrigin).toMatch(/^wss:\/\//);
    expect(directives["connect-src"]).toEqual(["'self'", apiOrigin, wsOrigin, "https://cognito-idp.us-east-1.amazonaws.com"]);
    expect(directives["default-src"]).toEqual(["'self'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(directives["object-src"]).toEqual(["'none'"]);
    expect(csp).not.toContain("unsafe-");
    expect(config.contentSecurityPolicy.override).toBe(true);
  });

  it("sends HSTS, nosniff, DENY framing and a referrer policy", () => {
    const config = headersPolicy("production").inputs.securityHeadersConfig;
    expect(config.strictTransportSecurity).toMatchObject({ includeSubdomains: true, override: true });
    expect(config.strictTransportSecurity.accessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(config.contentTypeOptions).toEqual({ override: true });
    expect(config.frameOptions).toEqual({ frameOption: "DENY", override: true });
    expect(config.referrerPolicy).toEqual({ referrerPolicy: "strict-origin-when-cross-origin", override: true });
  });

  it("builds packages/web with the pool, client, API and region it talks to", () => {
    const dev = stack("dev");
    const build = dev.one("command:local:Command").inputs;
    expect(build.create).toBe("pnpm run build");
    expect(build.dir).toBe(join(ROOT, "packages/web"));
    expect(build.environment).toMatchObject({
      VITE_USER_POOL_ID: dev.one("aws:cognito/userPool:UserPool").id,
      VITE_USER_POOL_CLIENT_ID: dev.one("aws:cognito/userPoolClient:UserPoolClient").id,
      VITE_API_URL: dev.httpApi().state.apiEndpoint,
      VITE_WS_URL: dev.outputs.wsUrl,
      VITE_REGION: "us-east-1",
    });
  });

  it("serves the site on the stage's custom domain when one is configured", () => {
    const aliases = (name: (typeof DEPLOYED)[number]) => stack(name).one("aws:cloudfront/distribution:Distribution").inputs.aliases ?? [];
    expect(aliases("production")).toEqual([DOMAIN]);
    expect(aliases("staging")).toEqual([`staging.${DOMAIN}`]);
    expect(aliases("dev")).toEqual([]);
  });

  it("deploys no site under sst dev: Vite serves it on the origin CORS allows", () => {
    const sstDev = stack("sstDev");
    expect(sstDev.ofType("aws:cloudfront/distribution:Distribution")).toEqual([]);
    expect(sstDev.ofType("command:local:Command")).toEqual([]);
    expect(sstDev.outputs.siteUrl).toBe("http://localhost:5173");
  });
});

describe("contentSecurityPolicy", () => {
  it("reduces the API and WebSocket URLs to their origins and names the region's Cognito endpoint", () => {
    const csp = contentSecurityPolicy({
      apiOrigin: "https://abc.execute-api.eu-west-1.amazonaws.com/v1/",
      wsOrigin: "wss://def.execute-api.eu-west-1.amazonaws.com/$default",
      region: "eu-west-1",
    });
    expect(csp).toContain(
      "connect-src 'self' https://abc.execute-api.eu-west-1.amazonaws.com wss://def.execute-api.eu-west-1.amazonaws.com https://cognito-idp.eu-west-1.amazonaws.com;",
    );
  });
});
