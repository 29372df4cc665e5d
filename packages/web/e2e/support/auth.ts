/**
 * Signing up, in and out through the SPA's own forms, as a person does: the one place the
 * end-to-end tests know the auth screens' labels.
 */
import type { Page } from "playwright-core";
import type { E2EStack } from "./local-stack";

/** Meets the user pool's password policy (the SPA checks it before submitting). */
export const E2E_PASSWORD = "Tasks-e2e-pass1";

/**
 * From the sign-in screen: signs up, confirms with the code the stack's Cognito "e-mailed" (no
 * fixed code: the real flow), and is then signed in at once (Amplify's autoSignIn).
 */
export async function signUpThroughUi(page: Page, stack: E2EStack, email: string, password = E2E_PASSWORD): Promise<void> {
  await page.getByRole("button", { name: "No account yet? Sign up" }).click();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  const since = Date.now();
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  await page.getByRole("heading", { name: "Confirm your email" }).waitFor();
  await page.getByLabel("Confirmation code", { exact: true }).fill(await stack.confirmationCode(email, since));
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await signedInAs(page, email);
}

/** From the sign-in screen, an account that exists: signed in once the account menu names it. */
export async function signInThroughUi(page: Page, email: string, password = E2E_PASSWORD): Promise<void> {
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await signedInAs(page, email);
}

/** Through the account menu, back to the sign-in screen. */
export async function signOutThroughUi(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Account: / }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

const signedInAs = (page: Page, email: string) => page.getByRole("button", { name: `Account: ${email}` }).waitFor();
