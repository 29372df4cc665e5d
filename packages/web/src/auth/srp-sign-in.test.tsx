/**
 * The deployed sign-in flow: with no Cognito endpoint configured (as deployed), Amplify signs in
 * with SRP — InitiateAuth USER_SRP_AUTH, then RespondToAuthChallenge PASSWORD_VERIFIER with a
 * proof of the password. Nothing offline speaks SRP (cognito-local has none), so these tests run
 * Amplify's SRP against the stand-in's server side of it (test-support/cognito-srp.ts), which
 * accepts only a proof computed from the right password.
 */
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { jwtPayload } from "../test-support/jwt";
import { renderApp, signInThroughForm, TEST_PASSWORD } from "../test-support/render-app";

const alertText = async () => (await screen.findByRole("alert")).textContent;

async function signInAttempt(user: ReturnType<typeof renderApp>["user"], email: string, password: string) {
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("sign-in as deployed (SRP)", () => {
  it("proves the password without sending it, and reaches the task view with the issued access token", async () => {
    const { user, cognito, api } = renderApp({ deployed: true });
    const sub = cognito.addUser("ana@example.com", TEST_PASSWORD);
    await signInThroughForm(user, "ana@example.com");

    const [initiate, respond] = cognito.calls.filter((call) => call.operation !== "GetUser");
    expect(initiate).toMatchObject({ operation: "InitiateAuth", body: { AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: "ana@example.com" } } });
    expect((initiate!.body.AuthParameters as Record<string, string>).SRP_A).toMatch(/^[0-9a-f]{700,}$/);
    expect(respond).toMatchObject({
      operation: "RespondToAuthChallenge",
      body: { ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: { USERNAME: sub } },
    });
    expect(JSON.stringify(cognito.calls)).not.toContain(TEST_PASSWORD);

    await waitFor(() => expect(api.requests.length).toBeGreaterThan(0));
    const token = api.requests[0]!.headers.get("authorization")!.replace(/^Bearer /, "");
    expect(jwtPayload(token)).toMatchObject({ sub, token_use: "access" });
  });

  it("a wrong password gives a proof that does not verify: Incorrect email or password", async () => {
    const { user, cognito } = renderApp({ deployed: true });
    cognito.addUser("ana@example.com", TEST_PASSWORD);
    await signInAttempt(user, "ana@example.com", "Wrong-password-1");
    expect(await alertText()).toBe("Incorrect email or password.");
    expect(cognito.operations()).toEqual(["InitiateAuth", "RespondToAuthChallenge"]);
  });

  it("an unknown address gets a challenge like any other, then the same refusal", async () => {
    const { user, cognito } = renderApp({ deployed: true });
    await signInAttempt(user, "nobody@example.com", TEST_PASSWORD);
    expect(await alertText()).toBe("Incorrect email or password.");
    expect(cognito.operations()).toEqual(["InitiateAuth", "RespondToAuthChallenge"]);
  });
});
