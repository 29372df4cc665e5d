/**
 * Runs cognito-local (npm `cognito-local`) as a child process and makes sure the app's user pool
 * and client exist in it.
 *
 * - It keeps its state in `.cognito/` under its working directory, so the child runs with `cwd`
 *   set to our data folder.
 * - It reads `PORT` and `HOST` from the environment (lib/server/config.js), and the issuer it
 *   writes into tokens from `.cognito/config.json` (`TokenConfig.IssuerDomain`; by default
 *   `http://<HOST>:<PORT>`). We set the issuer to the proxy's public URL, so that the issuer stays
 *   the same whatever internal port cognito-local gets, and `<issuer>/.well-known/jwks.json`
 *   answers (through the proxy) as it does on Cognito.
 * - `CODE` fixes every confirmation code; otherwise codes are random.
 * - Its console goes to `cognito-local.log` in the data folder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { PASSWORD_POLICY } from "../../../infra/limits.js";
import { stopProcess, untilReady } from "./child-processes.js";
import { freePort, LOOPBACK } from "./ports.js";

export interface CognitoLocalOptions {
  /** Folder for cognito-local's state (`.cognito/` is created inside) and its log file. */
  dataDir: string;
  /** Internal port; omit for a free one. Clients talk to the proxy, not to this port. */
  port?: number;
  /** `TokenConfig.IssuerDomain`: tokens get `iss = <issuerDomain>/<poolId>`. */
  issuerDomain: string;
  /** Fixed confirmation code for every sign-up / reset (cognito-local's `CODE`, else inherited). */
  fixedCode?: string;
}

export interface CognitoLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

function cognitoLocalBin(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("cognito-local/package.json"));
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { bin: string };
  return join(packageDir, manifest.bin);
}

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const port = options.port ?? (await freePort());
  const configDir = join(options.dataDir, ".cognito");
  mkdirSync(configDir, { recursive: true });
  const configFile = join(configDir, "config.json");
  const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, "utf8")) as Record<string, unknown>) : {};
  writeFileSync(configFile, JSON.stringify({ ...config, TokenConfig: { IssuerDomain: options.issuerDomain } }, null, 2));

  const env: NodeJS.ProcessEnv = { ...process.env, HOST: LOOPBACK, PORT: String(port) };
  delete env.DEBUG;
  if (options.fixedCode !== undefined) env.CODE = options.fixedCode;
  // Its console (where it also prints codes, see confirmation-codes.ts) goes to a log file.
  const logFile = join(options.dataDir, "cognito-local.log");
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [cognitoLocalBin()], { cwd: options.dataDir, env, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
  const endpoint = `http://${LOOPBACK}:${port}`;
  await untilReady(child, "cognito-local", () => isHealthy(endpoint), {
    output: () => `(log: ${logFile})\n${readFileSync(logFile, "utf8").slice(-4_000)}`,
  });
  return { endpoint, port, process: child, stop: () => stopProcess(child) };
}

async function isHealthy(endpoint: string): Promise<boolean> {
  const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
  return response.ok;
}

/** cognito-local accepts any credentials and region; the SDK just needs some. */
export function cognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

export interface UserPoolIds {
  userPoolId: string;
  userPoolClientId: string;
}

/**
 * The pool as the deployed one is set up for sign-in (infra/auth.ts): e-mail as the user name,
 * e-mail verified by a code, a public client (no secret) that allows USER_PASSWORD_AUTH (no SRP
 * in cognito-local) and refresh tokens. The ids are kept in `idsFile` and reused while the pool
 * and client still exist in cognito-local's data.
 */
export async function ensureUserPool(endpoint: string, idsFile: string): Promise<UserPoolIds> {
  const client = cognitoClient(endpoint);
  try {
    if (existsSync(idsFile)) {
      const saved = JSON.parse(readFileSync(idsFile, "utf8")) as UserPoolIds;
      const found = await client
        .send(new DescribeUserPoolClientCommand({ UserPoolId: saved.userPoolId, ClientId: saved.userPoolClientId }))
        .then(() => true)
        .catch(() => false);
      if (found) return saved;
    }
    const pool = await client.send(
      new CreateUserPoolCommand({
        PoolName: "tasks-local",
        UsernameAttributes: ["email"],
        AutoVerifiedAttributes: ["email"],
        // Stored for the record; cognito-local 5.3.0 does not enforce it (the SPA shows the rules).
        Policies: {
          PasswordPolicy: {
            MinimumLength: PASSWORD_POLICY.minimumLength,
            RequireLowercase: PASSWORD_POLICY.requireLowercase,
            RequireUppercase: PASSWORD_POLICY.requireUppercase,
            RequireNumbers: PASSWORD_POLICY.requireNumbers,
            RequireSymbols: PASSWORD_POLICY.requireSymbols,
          },
        },
      }),
    );
    const userPoolId = pool.UserPool?.Id;
    if (!userPoolId) throw new Error("cognito-local did not return a user pool id");
    const appClient = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: "tasks-web",
        GenerateSecret: false,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        // Same lifetimes as the deployed client (infra/auth.ts), so the SPA refreshes hourly here too.
        AccessTokenValidity: 1,
        IdTokenValidity: 1,
        RefreshTokenValidity: 30,
        TokenValidityUnits: { AccessToken: "hours", IdToken: "hours", RefreshToken: "days" },
      }),
    );
    const userPoolClientId = appClient.UserPoolClient?.ClientId;
    if (!userPoolClientId) throw new Error("cognito-local did not return a client id");
    const ids = { userPoolId, userPoolClientId };
    mkdirSync(dirname(idsFile), { recursive: true });
    writeFileSync(idsFile, `${JSON.stringify(ids, null, 2)}\n`);
    return ids;
  } finally {
    client.destroy();
  }
}

/**
 * The code cognito-local last stored on a user (`ConfirmationCode` in `.cognito/db/<poolId>.json`,
 * cognito-local 5.3.0's layout), looked up by user name or e-mail. It stores the code before it
 * answers SignUp or ForgotPassword, so this is current as soon as the answer arrives.
 */
export function storedConfirmationCode(
  dataDir: string,
  userPoolId: string,
  username: string,
): { email: string; code: string } | undefined {
  const file = join(dataDir, ".cognito", "db", `${userPoolId}.json`);
  if (!/^[\w-]+$/.test(userPoolId) || !existsSync(file)) return undefined;
  const db = JSON.parse(readFileSync(file, "utf8")) as {
    Users?: Record<string, { Username: string; ConfirmationCode?: string; Attributes?: { Name: string; Value: string }[] }>;
  };
  const wanted = username.trim().toLowerCase();
  for (const user of Object.values(db.Users ?? {})) {
    const email = user.Attributes?.find((attribute) => attribute.Name === "email")?.Value;
    if (user.Username.toLowerCase() !== wanted && email?.toLowerCase() !== wanted) continue;
    return user.ConfirmationCode && email ? { email, code: user.ConfirmationCode } : undefined;
  }
  return undefined;
}
