import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { COGNITO_ENDPOINT } from "../test-support/cognito-service";
import { server } from "../test-support/msw-server";
import { renderApp, signInThroughForm, signOutThroughMenu, TEST_PASSWORD } from "../test-support/render-app";

const alertText = async () => (await screen.findByRole("alert")).textContent;

describe("sign up and confirm", () => {
  it("shows the password rules before submit and rejects a weak password without calling Cognito", async () => {
    const { user, cognito } = renderApp();
    await user.click(await screen.findByRole("button", { name: "No account yet? Sign up" }));
    const rules = screen.getByRole("list", { name: "Password requirements" });
    expect(within(rules).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      expect.stringContaining("At least 8 characters"),
      expect.stringContaining("A lowercase letter"),
      expect.stringContaining("An uppercase letter"),
      expect.stringContaining("A number"),
      expect.stringContaining("A symbol"),
    ]);

    await user.type(screen.getByLabelText("Email"), "ana@example.com");
    await user.type(screen.getByLabelText("Password"), "password1");
    expect(within(rules).getByText(/A lowercase letter/).closest("li")?.className).toBe("met");
    expect(within(rules).getByText(/An uppercase letter/).closest("li")?.className).not.toBe("met");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await alertText()).toBe("The password needs: an uppercase letter, a symbol (for example ! ? # @).");
    expect(cognito.calls).toEqual([]);
  });

  it("rejects an address that is not an email before calling Cognito", async () => {
    const { user, cognito } = renderApp();
    await user.click(await screen.findByRole("button", { name: "No account yet? Sign up" }));
    await user.type(screen.getByLabelText("Email"), "ana.example.com");
    await user.type(screen.getByLabelText("Password"), TEST_PASSWORD);
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await alertText()).toMatch(/valid email address/);
    expect(cognito.calls).toEqual([]);
  });

  it("signs up, rejects a wrong code, confirms with the right one, and is signed in without typing the password again", async () => {
    const { user, cognito } = renderApp();
    await user.click(await screen.findByRole("button", { name: "No account yet? Sign up" }));
    await user.type(screen.getByLabelText("Email"), "ana@example.com");
    await user.type(screen.getByLabelText("Password"), TEST_PASSWORD);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("heading", { name: "Confirm your email" })).toBeTruthy();
    const signUp = cognito.calls.find((call) => call.operation === "SignUp");
    expect(signUp?.body).toMatchObject({
      Username: "ana@example.com",
      Password: TEST_PASSWORD,
      UserAttributes: [{ Name: "email", Value: "ana@example.com" }],
    });

    await user.type(screen.getByLabelText("Confirmation code"), "000000");
    await user.click(screen.getByRole("button", { name: "Confirm" }));
    expect(await alertText()).toBe("That confirmation code is not correct. Check the email and try again.");
    expect(cognito.user("ana@example.com")?.confirmed).toBe(false);

    await user.clear(screen.getByLabelText("Confirmation code"));
    await user.type(screen.getByLabelText("Confirmation code"), "123456");
    await user.click(screen.getByRole("button", { name: "Confirm" }));

    // Amplify's autoSignIn signs in with the password given at sign-up: straight to the tasks.
    expect(await screen.findByRole("button", { name: "Account: ana@example.com" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Tasks", level: 1 })).toBeTruthy();
    // The local stack has no SRP: with a Cognito endpoint configured the app uses USER_PASSWORD_AUTH.
    expect(cognito.calls.find((call) => call.operation === "InitiateAuth")?.body).toMatchObject({
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "ana@example.com", PASSWORD: TEST_PASSWORD },
    });
  });

  it("clears the password error once every rule is met", async () => {
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "No account yet? Sign up" }));
    await user.type(screen.getByLabelText("Email"), "ana@example.com");
    await user.type(screen.getByLabelText("Password"), "password1");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await alertText()).toMatch(/^The password needs/);
    await user.type(screen.getByLabelText("Password"), "A");
    expect(screen.getByRole("alert").textContent).toBe("The password needs: a symbol (for example ! ? # @)."); // one rule left
    await user.type(screen.getByLabelText("Password"), "!");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("goes back from sign-up to sign-in with the browser's Back, without leaving the app", async () => {
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "No account yet? Sign up" }));
    expect(screen.getByRole("heading", { name: "Create your account" })).toBeTruthy();
    history.back();
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    // The app's name is on the sign-in screen too.
    expect(screen.getByText("Tasks")).toBeTruthy();
  });

  it("resends the code and accepts the new one", async () => {
    const { user, cognito } = renderApp();
    cognito.addUser("ben@example.com", TEST_PASSWORD, { confirmed: false });
    await signInAttempt(user, "ben@example.com", TEST_PASSWORD);
    // Signing in to an unconfirmed account leads to the confirmation form.
    expect(await screen.findByText("Your email is not confirmed yet. Enter the code we emailed you.")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Resend code" }));
    expect(await screen.findByText("We sent a new code to ben@example.com.")).toBeTruthy();
    expect(cognito.operations()).toContain("ResendConfirmationCode");

    await user.type(screen.getByLabelText("Confirmation code"), "654321");
    await user.click(screen.getByRole("button", { name: "Confirm" }));
    expect(await screen.findByText("Your email is confirmed. Sign in to continue.")).toBeTruthy();
    expect(cognito.user("ben@example.com")?.confirmed).toBe(true);
  });

  it("says so when the email already has an account", async () => {
    const { user, cognito } = renderApp();
    cognito.addUser("ana@example.com", TEST_PASSWORD);
    await user.click(await screen.findByRole("button", { name: "No account yet? Sign up" }));
    await user.type(screen.getByLabelText("Email"), "ana@example.com");
    await user.type(screen.getByLabelText("Password"), TEST_PASSWORD);
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await alertText()).toBe("An account with this email already exists. Sign in instead.");
  });
});

async function signInAttempt(user: ReturnType<typeof renderApp>["user"], email: string, password: string) {
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("sign in failures are explained in the form", () => {
  it("wrong password", async () => {
    const { user, cognito } = renderApp();
    cognito.addUser("ana@example.com", TEST_PASSWORD);
    await signInAttempt(user, "ana@example.com", "Wrong-password-1");
    expect(await alertText()).toBe("Incorrect email or password.");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeTruthy();
  });

  it("unknown user: the same answer as a wrong password (the deployed client prevents user existence errors)", async () => {
    const { user } = renderApp();
    await signInAttempt(user, "nobody@example.com", TEST_PASSWORD);
    expect(await alertText()).toBe("Incorrect email or password.");
  });

  it("network down", async () => {
    const { user } = renderApp();
    server.use(http.post(`${COGNITO_ENDPOINT}/`, () => HttpResponse.error()));
    await signInAttempt(user, "ana@example.com", TEST_PASSWORD);
    expect(await alertText()).toBe("Cannot reach the sign-in service. Check your connection and try again.");
  });

  it("missing password, before anything is sent", async () => {
    const { user, cognito } = renderApp();
    await user.type(await screen.findByLabelText("Email"), "ana@example.com");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await alertText()).toBe("Enter your password.");
    expect(cognito.calls).toEqual([]);
  });
});

describe("password reset", () => {
  it("sends a code, rejects a wrong one, sets the new password, and the new password signs in", async () => {
    const { user, cognito } = renderApp();
    cognito.addUser("ana@example.com", "Old-password-1");
    await user.type(await screen.findByLabelText("Email"), "ana@example.com");
    await user.click(screen.getByRole("button", { name: "Forgot password?" }));
    expect((screen.getByLabelText("Email") as HTMLInputElement).value).toBe("ana@example.com");
    await user.click(screen.getByRole("button", { name: "Send code" }));

    await user.type(await screen.findByLabelText("Confirmation code"), "111111");
    await user.type(screen.getByLabelText("New password"), "weak");
    await user.click(screen.getByRole("button", { name: "Reset password" }));
    expect(await alertText()).toMatch(/^The new password needs: at least 8 characters/);

    await user.clear(screen.getByLabelText("New password"));
    await user.type(screen.getByLabelText("New password"), "New-password-2");
    await user.click(screen.getByRole("button", { name: "Reset password" }));
    expect(await alertText()).toBe("That confirmation code is not correct. Check the email and try again.");

    await user.clear(screen.getByLabelText("Confirmation code"));
    await user.type(screen.getByLabelText("Confirmation code"), "777777");
    await user.click(screen.getByRole("button", { name: "Reset password" }));
    expect(await screen.findByText("Your password has been changed. Sign in with the new password.")).toBeTruthy();
    expect(cognito.user("ana@example.com")?.password).toBe("New-password-2");

    await user.type(screen.getByLabelText("Password"), "New-password-2");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("button", { name: /^Account:/ })).toBeTruthy();
  });
});

describe("password reset for an address without an account", () => {
  it("goes on as for a real account (a code 'sent'), and the code is simply wrong", async () => {
    const { user, cognito } = renderApp();
    await user.type(await screen.findByLabelText("Email"), "nobody@example.com");
    await user.click(screen.getByRole("button", { name: "Forgot password?" }));
    await user.click(screen.getByRole("button", { name: "Send code" }));
    expect(await screen.findByText("If an account exists for nobody@example.com, we emailed it a code.")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();

    await user.type(screen.getByLabelText("Confirmation code"), "123456");
    await user.type(screen.getByLabelText("New password"), "New-password-2");
    await user.click(screen.getByRole("button", { name: "Reset password" }));
    expect(await alertText()).toBe("That confirmation code is not correct. Check the email and try again.");
    expect(cognito.operations()).toEqual(["ForgotPassword", "ConfirmForgotPassword"]);
  });
});

describe("session", () => {
  it("survives a reload without signing in again, and sign out ends it for good", async () => {
    const { user, cognito, rerenderApp } = renderApp();
    cognito.addUser("ana@example.com", TEST_PASSWORD);
    await signInThroughForm(user, "ana@example.com");
    const signIns = cognito.operations().filter((op) => op === "InitiateAuth").length;

    rerenderApp();
    expect(await screen.findByRole("button", { name: /^Account:/ })).toBeTruthy();
    expect(cognito.operations().filter((op) => op === "InitiateAuth").length).toBe(signIns);

    await signOutThroughMenu(user);
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(cognito.operations()).toContain("RevokeToken");

    rerenderApp();
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
  });

  it("refreshes the access token before it expires and calls the API with the fresh one", async () => {
    const { user, cognito, api } = renderApp();
    cognito.addUser("ana@example.com", TEST_PASSWORD);
    // Tokens that expire within Amplify's refresh margin: the first API call must trigger a refresh.
    cognito.setTokenLifetime(3);
    await signInThroughForm(user, "ana@example.com");
    await waitFor(() => expect(api.requests.length).toBeGreaterThan(0));

    const refreshes = cognito.calls.filter(
      (call) => call.operation === "GetTokensFromRefreshToken" || call.body.AuthFlow === "REFRESH_TOKEN_AUTH",
    );
    expect(refreshes.length).toBeGreaterThan(0);
    const [signInToken] = cognito.issuedAccessTokens;
    const sent = api.requests[0]!.headers.get("authorization");
    expect(sent).not.toBe(`Bearer ${signInToken}`);
    expect(cognito.issuedAccessTokens.map((token) => `Bearer ${token}`)).toContain(sent);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
