/**
 * The SPA's configuration, read once from the VITE_* variables that the deployment (infra/web.ts)
 * or the offline stack (packages/local) sets at build / dev-server time.
 */
import * as z from "zod";

const required = (name: string) =>
  z
    .string({ error: `${name} is not set` })
    .trim()
    .min(1, { error: `${name} is not set` });

const url = (name: string) =>
  required(name).pipe(z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` }));

const wsUrl = (name: string) =>
  required(name).pipe(z.url({ protocol: /^wss?$/, error: `${name} must be a ws(s) URL` }));

const EnvSchema = z.object({
  VITE_USER_POOL_ID: required("VITE_USER_POOL_ID"),
  VITE_USER_POOL_CLIENT_ID: required("VITE_USER_POOL_CLIENT_ID"),
  VITE_API_URL: url("VITE_API_URL"),
  VITE_REGION: required("VITE_REGION"),
  // Optional: without it the sync engine pulls on focus, reconnect and after writes only.
  VITE_WS_URL: z.preprocess((value) => (value === "" ? undefined : value), wsUrl("VITE_WS_URL").optional()),
  VITE_COGNITO_ENDPOINT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    url("VITE_COGNITO_ENDPOINT").optional(),
  ),
});

export interface AppConfig {
  userPoolId: string;
  userPoolClientId: string;
  /** Base URL of the HTTP API, without a trailing slash. */
  apiUrl: string;
  region: string;
  /** The live socket's URL (ws:// offline, wss:// deployed): pokes that trigger a pull. */
  wsUrl?: string;
  /**
   * cognito-local's URL when running offline. cognito-local has no SRP, so its presence also
   * selects the USER_PASSWORD_AUTH sign-in flow (README, "Offline stack").
   */
  cognitoEndpoint?: string;
}

export interface ConfigProblem {
  variable: string;
  message: string;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: ConfigProblem[] };

export function loadConfig(env: Record<string, unknown>): ConfigResult {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "environment"),
      message: issue.message,
    }));
    return { ok: false, problems };
  }
  const env_ = parsed.data;
  return {
    ok: true,
    config: {
      userPoolId: env_.VITE_USER_POOL_ID,
      userPoolClientId: env_.VITE_USER_POOL_CLIENT_ID,
      apiUrl: env_.VITE_API_URL.replace(/\/+$/, ""),
      region: env_.VITE_REGION,
      ...(env_.VITE_WS_URL ? { wsUrl: env_.VITE_WS_URL } : {}),
      ...(env_.VITE_COGNITO_ENDPOINT ? { cognitoEndpoint: env_.VITE_COGNITO_ENDPOINT } : {}),
    },
  };
}
