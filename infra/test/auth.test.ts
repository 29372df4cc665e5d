import { describe, expect, it } from "vitest";
import { PASSWORD_POLICY } from "../limits";
import { stack } from "./support/stack";

const pool = (name: "dev" | "production" | "staging") => stack(name).one("aws:cognito/userPool:UserPool");
const client = (name: "dev" | "production") => stack(name).one("aws:cognito/userPoolClient:UserPoolClient");

describe("infra/auth.ts: the user pool", () => {
  it("signs users in with their email address, verified by a code", () => {
    const { inputs } = pool("dev");
    expect(inputs.usernameAttributes).toEqual(["email"]);
    expect(inputs.aliasAttributes).toBeUndefined();
    expect(inputs.autoVerifiedAttributes).toEqual(["email"]);
    expect(inputs.usernameConfiguration).toEqual({ caseSensitive: false });
  });

  it("keeps a changed email unverified and unused for sign-in until its code is confirmed", () => {
    expect(pool("dev").inputs.userAttributeUpdateSettings).toEqual({ attributesRequireVerificationBeforeUpdates: ["email"] });
  });

  it("recovers accounts by verified email only", () => {
    expect(pool("dev").inputs.accountRecoverySetting).toEqual({ recoveryMechanisms: [{ name: "verified_email", priority: 1 }] });
  });

  it("enforces the password policy the SPA shows (min 8, upper, lower, digit, symbol)", () => {
    expect(PASSWORD_POLICY).toEqual({
      minimumLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
    });
    expect(pool("dev").inputs.passwordPolicy).toEqual({ ...PASSWORD_POLICY, temporaryPasswordValidityDays: 7 });
  });

  it("is on the Lite tier (docs/capacity.md: Essentials would cost about 4× as much at scale)", () => {
    for (const name of ["dev", "staging", "production"] as const) expect(pool(name).inputs.userPoolTier, name).toBe("LITE");
  });

  it("sends production's emails through SES from the site's domain, other stages through Cognito's sender", () => {
    const production = stack("production");
    const identity = production.one("aws:sesv2/emailIdentity:EmailIdentity");
    expect(identity.inputs.emailIdentity).toBe("tasks.example.com");
    expect(production.one("aws:cognito/userPool:UserPool").inputs.emailConfiguration).toEqual({
      emailSendingAccount: "DEVELOPER",
      sourceArn: identity.state.arn,
      fromEmailAddress: "Tasks <no-reply@tasks.example.com>",
    });
    expect(identity.protect).toBe(true);
    for (const name of ["dev", "staging"] as const) {
      expect(pool(name).inputs.emailConfiguration, name).toEqual({ emailSendingAccount: "COGNITO_DEFAULT" });
      expect(stack(name).ofType("aws:sesv2/emailIdentity:EmailIdentity"), name).toEqual([]);
    }
  });

  it("has deletion protection, and is protected from replacement, on production only", () => {
    expect(pool("production").inputs.deletionProtection).toBe("ACTIVE");
    expect(pool("production").protect).toBe(true);
    expect(pool("staging").inputs.deletionProtection).toBe("INACTIVE");
    expect(pool("staging").protect).toBe(false);
  });
});

describe("infra/auth.ts: the SPA's client", () => {
  it("belongs to the pool, is public (no secret) and hides whether a user exists", () => {
    const { inputs } = client("dev");
    expect(inputs.userPoolId).toBe(pool("dev").id);
    expect(inputs.generateSecret).toBe(false);
    expect(inputs.preventUserExistenceErrors).toBe("ENABLED");
    expect(inputs.enableTokenRevocation).toBe(true);
  });

  it("allows SRP, password (cognito-local has no SRP) and refresh-token sign-in, nothing else", () => {
    expect([...client("production").inputs.explicitAuthFlows].sort()).toEqual([
      "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_USER_SRP_AUTH",
    ]);
  });

  it("issues one-hour access and ID tokens and 30-day refresh tokens", () => {
    expect(client("dev").inputs).toMatchObject({
      accessTokenValidity: 1,
      idTokenValidity: 1,
      refreshTokenValidity: 30,
      tokenValidityUnits: { accessToken: "hours", idToken: "hours", refreshToken: "days" },
    });
  });

  it("has no hosted-UI OAuth flows or callback URLs", () => {
    const { inputs } = client("dev");
    expect(inputs.allowedOauthFlowsUserPoolClient).toBe(false);
    expect(inputs.allowedOauthFlows ?? []).toEqual([]);
    expect(inputs.allowedOauthScopes ?? []).toEqual([]);
    expect(inputs.callbackUrls ?? []).toEqual([]);
  });
});
