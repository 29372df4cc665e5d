import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../App";
import { configureAuth } from "../auth/cognito";
import { loadConfig, type AppConfig } from "../config";
import {
  COGNITO_ENDPOINT,
  createCognitoService,
  DEPLOYED_COGNITO_ENDPOINT,
  DEPLOYED_USER_POOL_ID,
  USER_POOL_CLIENT_ID,
  USER_POOL_ID,
} from "./cognito-service";
import { server } from "./msw-server";
import { API_URL, createTasksApiService } from "./tasks-api-service";

export const TEST_PASSWORD = "Correct-Horse-9";

/**
 * The offline stack's configuration (a Cognito endpoint: USER_PASSWORD_AUTH), or with `deployed`
 * the deployed one (no endpoint: Amplify calls Cognito's regional endpoint and signs in with SRP).
 */
export function testConfig({ deployed = false } = {}): AppConfig {
  const result = loadConfig({
    VITE_USER_POOL_ID: deployed ? DEPLOYED_USER_POOL_ID : USER_POOL_ID,
    VITE_USER_POOL_CLIENT_ID: USER_POOL_CLIENT_ID,
    VITE_API_URL: API_URL,
    VITE_REGION: "us-east-1",
    ...(deployed ? {} : { VITE_COGNITO_ENDPOINT: COGNITO_ENDPOINT }),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** The whole app with real Amplify and the real API client; Cognito and the API answer via msw. */
export function renderApp({ deployed = false } = {}) {
  const cognito = createCognitoService({ endpoint: deployed ? DEPLOYED_COGNITO_ENDPOINT : COGNITO_ENDPOINT });
  const api = createTasksApiService();
  server.use(cognito.handler, ...api.handlers);
  const config = testConfig({ deployed });
  configureAuth(config);
  const user = userEvent.setup();
  const view = render(<App config={config} />);
  return { cognito, api, user, view, rerenderApp: () => { view.unmount(); return render(<App config={config} />); } };
}

/** Signs in through the form and waits for the task view. */
export async function signInThroughForm(
  user: ReturnType<typeof userEvent.setup>,
  email: string,
  password = TEST_PASSWORD,
) {
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  await screen.findByRole("button", { name: /^Account:/ });
}

/** Opens the account menu and signs out. */
export async function signOutThroughMenu(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("button", { name: /^Account:/ }));
  await user.click(screen.getByRole("button", { name: "Sign out" }));
}

/** The app signed in as ana@example.com; `prepare` seeds her data (lists, tasks) first. */
export async function renderSignedIn(prepare: (api: ReturnType<typeof renderApp>["api"], userId: string) => void = () => undefined) {
  const app = renderApp();
  const userId = app.cognito.addUser("ana@example.com", TEST_PASSWORD);
  prepare(app.api, userId);
  await signInThroughForm(app.user, "ana@example.com");
  return { ...app, userId };
}

/** The titles of the task rows shown (in any view). */
export const shownTitles = () =>
  Array.from(document.querySelectorAll("main li[data-task-id] .title label"), (label) => label.textContent);

/** A task row by its title. */
export function taskRow(title: string): HTMLElement {
  const row = Array.from(document.querySelectorAll<HTMLElement>("li[data-task-id]")).find(
    (li) => li.querySelector(".title label")?.textContent === title,
  );
  if (!row) throw new Error(`No task row "${title}"`);
  return row;
}
