import { describe, expect, it } from "vitest";
import { PASSWORD_POLICY } from "../limits";
import { evaluateApp } from "./sst-fakes";

const production = () => evaluateApp("production", { env: { TASKS_DOMAIN: "tasks.example.com" } });

describe("infra/auth.ts", () => {
  it("signs users in with a verified email address", async () => {
    const { args } = (await evaluateApp("dev")).one("sst.aws.CognitoUserPool", "UserPool");
    expect(args.usernames).toEqual(["email"]);
    expect(args.transform.userPool.autoVerifiedAttributes).toEqual(["email"]);
    expect(args.transform.userPool.userAttributeUpdateSettings).toEqual({
      attributesRequireVerificationBeforeUpdate: ["email"],
    });
    expect(args.transform.userPool.accountRecoverySetting.recoveryMechanisms).toEqual([
      { name: "verified_email", priority: 1 },
    ]);
  });

  it("enforces the password policy the SPA shows (min 8, upper, lower, digit, symbol)", async () => {
    expect(PASSWORD_POLICY).toEqual({
      minimumLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
    });
    const { args } = (await evaluateApp("dev")).one("sst.aws.CognitoUserPool", "UserPool");
    expect(args.transform.userPool.passwordPolicy).toMatchObject(PASSWORD_POLICY);
  });

  it("protects the user pool from deletion on production only", async () => {
    expect((await production()).one("sst.aws.CognitoUserPool").args.transform.userPool.deletionProtection).toBe("ACTIVE");
    expect((await evaluateApp("dev")).one("sst.aws.CognitoUserPool").args.transform.userPool.deletionProtection).toBe(
      "INACTIVE",
    );
  });

  it("gives the SPA one public client with SRP, password and refresh flows and explicit token lifetimes", async () => {
    const env = await evaluateApp("dev");
    const client = env.one("sst.aws.CognitoUserPoolClient");
    expect(client.name).toBe("Web");
    expect(client.parent).toBe("UserPool");
    const settings = client.args.transform.client;
    expect([...settings.explicitAuthFlows].sort()).toEqual([
      "ALLOW_REFRESH_TOKEN_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_USER_SRP_AUTH",
    ]);
    expect(settings.generateSecret).toBe(false);
    expect(settings.preventUserExistenceErrors).toBe("ENABLED");
    expect(settings).toMatchObject({
      accessTokenValidity: 1,
      idTokenValidity: 1,
      refreshTokenValidity: 30,
      tokenValidityUnits: { accessToken: "hours", idToken: "hours", refreshToken: "days" },
    });
  });

  it("switches off the component's default hosted-UI OAuth flows", async () => {
    const settings = (await evaluateApp("dev")).one("sst.aws.CognitoUserPoolClient").args.transform.client;
    expect(settings.allowedOauthFlowsUserPoolClient).toBe(false);
    for (const key of ["allowedOauthFlows", "allowedOauthScopes", "callbackUrls"]) {
      expect(settings).toHaveProperty(key, undefined);
    }
  });
});
