import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "../security-headers";
import { evaluateApp, FakeOutput, resolve } from "./sst-fakes";

const API = "https://apiid.execute-api.us-east-1.amazonaws.com";

describe("infra/web.ts", () => {
  it("builds packages/web with Vite into dist", async () => {
    const { args } = (await evaluateApp("dev")).one("sst.aws.StaticSite", "Web");
    expect(args.path).toBe("packages/web");
    expect(args.build).toEqual({ command: "pnpm run build", output: "dist" });
  });

  it("gives the SPA every VITE_* variable it reads, from the pool, client and API", async () => {
    const { args } = (await evaluateApp("dev")).one("sst.aws.StaticSite", "Web");
    expect(resolve(args.environment)).toEqual({
      VITE_USER_POOL_ID: "us-east-1_UserPoolId",
      VITE_USER_POOL_CLIENT_ID: "WebClientId",
      VITE_API_URL: API,
      VITE_REGION: "us-east-1",
    });
  });

  it("serves the site on the stage's custom domain when one is configured", async () => {
    const production = await evaluateApp("production", { env: { TASKS_DOMAIN: "tasks.example.com" } });
    expect(production.one("sst.aws.StaticSite").args.domain).toBe("tasks.example.com");
    expect((await evaluateApp("dev")).one("sst.aws.StaticSite").args.domain).toBeUndefined();
  });

  it("sends a CSP that lets the page reach only itself, the API and Cognito", async () => {
    const policy = resolve((await evaluateApp("dev")).one("aws.cloudfront.ResponseHeadersPolicy").args);
    const csp: string = policy.securityHeadersConfig.contentSecurityPolicy.contentSecurityPolicy;
    const directives = Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    expect(directives["connect-src"]).toEqual(["'self'", API, "https://cognito-idp.us-east-1.amazonaws.com"]);
    expect(directives["default-src"]).toEqual(["'self'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(directives["object-src"]).toEqual(["'none'"]);
    expect(csp).not.toContain("unsafe-");
    expect(policy.securityHeadersConfig.contentSecurityPolicy.override).toBe(true);
  });

  it("sends HSTS, nosniff, DENY framing and a referrer policy", async () => {
    const { securityHeadersConfig } = resolve((await evaluateApp("dev")).one("aws.cloudfront.ResponseHeadersPolicy").args);
    expect(securityHeadersConfig.strictTransportSecurity).toMatchObject({ includeSubdomains: true, override: true });
    expect(securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(securityHeadersConfig.contentTypeOptions).toEqual({ override: true });
    expect(securityHeadersConfig.frameOptions).toEqual({ frameOption: "DENY", override: true });
    expect(securityHeadersConfig.referrerPolicy).toEqual({ referrerPolicy: "strict-origin-when-cross-origin", override: true });
  });

  it("attaches the headers policy to the CloudFront default behaviour and redirects HTTP to HTTPS", async () => {
    const env = await evaluateApp("dev");
    const { args } = env.one("sst.aws.StaticSite");
    // What StaticSite hands to transform.cdn (abridged), including an Output inside, as in SST.
    const cdnArgs: Record<string, unknown> = {
      defaultCacheBehavior: {
        targetOriginId: "s3",
        viewerProtocolPolicy: "allow-all",
        functionAssociations: new FakeOutput([{ eventType: "viewer-request", functionArn: "arn:fn" }]),
      },
    };
    args.transform.cdn(cdnArgs, {}, "WebCdn");
    expect(resolve(cdnArgs.defaultCacheBehavior)).toEqual({
      targetOriginId: "s3",
      viewerProtocolPolicy: "redirect-to-https",
      responseHeadersPolicyId: "WebSecurityHeaders-id",
      functionAssociations: [{ eventType: "viewer-request", functionArn: "arn:fn" }],
    });
  });

  it("runs the Vite dev server under sst dev", async () => {
    const { args } = (await evaluateApp("alice", { dev: true })).one("sst.aws.StaticSite");
    expect(args.dev).toEqual({ command: "pnpm run dev", url: "http://localhost:5173" });
  });
});

describe("contentSecurityPolicy", () => {
  it("reduces the API URL to its origin and names the region's Cognito endpoint", () => {
    const csp = contentSecurityPolicy({ apiOrigin: "https://abc.execute-api.eu-west-1.amazonaws.com/v1/", region: "eu-west-1" });
    expect(csp).toContain(
      "connect-src 'self' https://abc.execute-api.eu-west-1.amazonaws.com https://cognito-idp.eu-west-1.amazonaws.com;",
    );
  });
});
