/**
 * Cognito: users sign in with their email address (verified by a code), and the SPA signs in
 * through one public client (no secret: it runs in the browser). Production sends its emails
 * through SES (Cognito's own sender stops after 50 a day: docs/capacity.md); other stages use
 * Cognito's sender.
 */
import { ACCESS_TOKEN_VALIDITY_HOURS, PASSWORD_POLICY } from "./limits";
import { isProduction, region, site } from "./stage";

/**
 * Production's sender: an SES domain identity for the site's domain (DKIM records in its Route 53
 * zone), and the From address, `TASKS_EMAIL_FROM` or no-reply@<domain>.
 */
function productionEmail() {
  const domain = site.domain;
  if (!domain) throw new Error("Production needs TASKS_DOMAIN: its emails are sent through SES from that domain.");
  const sender = new sst.aws.Email("Email", { sender: domain, dns: sst.aws.dns() }, { protect: true });
  return {
    emailSendingAccount: "DEVELOPER",
    sourceArn: sender.nodes.identity.arn,
    fromEmailAddress: process.env.TASKS_EMAIL_FROM?.trim() || `Tasks <no-reply@${domain}>`,
  };
}

export const userPool = new sst.aws.CognitoUserPool("UserPool", {
  usernames: ["email"],
  transform: {
    userPool: {
      passwordPolicy: { ...PASSWORD_POLICY, temporaryPasswordValidityDays: 7 },
      autoVerifiedAttributes: ["email"],
      // A changed email stays unverified (and unused for sign-in) until its code is confirmed.
      userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdates: ["email"] },
      // The component defaults to phone first; this pool has no phone numbers.
      accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
      deletionProtection: isProduction ? "ACTIVE" : "INACTIVE",
      // Lite: the app uses none of Essentials' features, and at scale the tier is most of the
      // bill (docs/capacity.md, "Cost").
      userPoolTier: "LITE",
      ...(isProduction ? { emailConfiguration: productionEmail() } : {}),
    },
  },
}, { protect: isProduction });

/** Not "Web": SST refuses two components of one name, whatever their types (that is the site). */
export const userPoolClient = userPool.addClient("WebClient", {
  transform: {
    client: {
      // SRP for the deployed SPA; USER_PASSWORD_AUTH because cognito-local has no SRP and the
      // SPA uses it there (README, "Offline stack": known emulator gaps); refresh tokens for long sessions.
      explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      generateSecret: false,
      preventUserExistenceErrors: "ENABLED",
      enableTokenRevocation: true,
      accessTokenValidity: ACCESS_TOKEN_VALIDITY_HOURS,
      idTokenValidity: 1,
      refreshTokenValidity: 30,
      tokenValidityUnits: { accessToken: "hours", idToken: "hours", refreshToken: "days" },
      // No hosted UI: drop the component's default OAuth flows and placeholder callback URL.
      allowedOauthFlowsUserPoolClient: false,
      allowedOauthFlows: undefined,
      allowedOauthScopes: undefined,
      callbackUrls: undefined,
    },
  },
});

/** The issuer API Gateway's JWT authorizer trusts. */
export const issuer = $interpolate`https://cognito-idp.${region}.amazonaws.com/${userPool.id}`;
