/**
 * The Cognito endpoint the SPA (Amplify's `userPoolEndpoint`) and tests talk to: a small proxy in
 * front of cognito-local that bridges what cognito-local 5.3.0 lacks (README, "Offline stack") and passes
 * everything else through unchanged.
 *
 * - `GetTokensFromRefreshToken` (Amplify 6.2x refreshes with it) → `InitiateAuth` with
 *   `REFRESH_TOKEN_AUTH`; the answer has no new refresh token, as Cognito's without rotation.
 * - `ResendConfirmationCode` (the SPA's "resend code") → cognito-local's `ForgotPassword` for a
 *   user that is still UNCONFIRMED: that is the one operation of cognito-local that mints a new
 *   code for a user without a session, stores it where `ConfirmSignUp` checks it, and prints it.
 *   It changes nothing else about the user (status and password stay). A confirmed user gets
 *   Cognito's `InvalidParameterException`.
 * - User existence errors prevented, as on the deployed client (`preventUserExistenceErrors:
 *   "ENABLED"`, infra/auth.ts): cognito-local answers `UserNotFoundException` where Cognito, so
 *   configured, does not reveal that an address has no account (see `hidingUserExistence`).
 * - CORS for the web origins only (cognito-local itself answers `*`).
 * - Codes: after a SignUp, ForgotPassword or resend succeeds, the code cognito-local stored is
 *   recorded in the code book (printed by the stack) before the answer goes back, and
 *   `GET /__local/codes/<email>` returns the latest one, for people and e2e tests.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { CodePurpose, ConfirmationCodeBook } from "./confirmation-codes.js";
import { isPreflight, preflightHeaders, responseCorsHeaders, type CorsPolicy } from "./cors.js";
import { closeServer, listenOnLoopback, readBody } from "./http-server.js";
import { LOOPBACK } from "./ports.js";

export interface CognitoProxyOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  allowOrigins: readonly string[];
  codes: ConfirmationCodeBook;
  /** The code cognito-local stored on a user (cognito-local.ts `storedConfirmationCode`). */
  storedCode: (userPoolId: string, username: string) => { email: string; code: string } | undefined;
}

export interface CognitoProxy {
  url: string;
  port: number;
  /** Where cognito-local listens; requests before this is set get 503. */
  setUpstream(url: string): void;
  stop(): Promise<void>;
}

export const CODES_PATH = "/__local/codes/";
const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const AMZ_JSON = "application/x-amz-json-1.1";

interface UpstreamAnswer {
  status: number;
  body: Record<string, unknown>;
}

class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startCognitoProxy(options: CognitoProxyOptions): Promise<CognitoProxy> {
  let upstream: string | undefined;
  const cors: CorsPolicy = {
    allowOrigins: options.allowOrigins,
    allowMethods: ["GET", "POST"],
    allowHeaders: "*",
    exposeHeaders: ["x-amzn-errortype", "x-amzn-errormessage", "x-amzn-requestid"],
    maxAgeSeconds: 3600,
  };
  const poolOfClient = new Map<string, string>();

  /**
   * cognito-local keeps its users in one JSON file that it rewrites on every change (truncate,
   * then write, asynchronously). Two requests in flight at once can interleave those writes and
   * leave a file that is not JSON until the next save — and reading it while a save is under way
   * finds it half-written. So the proxy sends cognito-local one request at a time (it answers only
   * after its save), and reads the file for a sent code inside the same turn.
   */
  let queue: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const turn = queue.then(work);
    queue = turn.catch(() => undefined);
    return turn;
  }

  async function call(operation: string, input: unknown): Promise<UpstreamAnswer> {
    const response = await fetch(`${upstream}/`, {
      method: "POST",
      headers: { "content-type": AMZ_JSON, "x-amz-target": TARGET_PREFIX + operation },
      body: JSON.stringify(input),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function callOrThrow(operation: string, input: unknown): Promise<Record<string, unknown>> {
    const answer = await call(operation, input);
    if (answer.status !== 200) {
      throw new CognitoError(String(answer.body.__type ?? "InternalErrorException"), String(answer.body.message ?? ""), answer.status);
    }
    return answer.body;
  }

  async function userPoolIdOf(clientId: string): Promise<string> {
    const known = poolOfClient.get(clientId);
    if (known) return known;
    const pools = (await callOrThrow("ListUserPools", { MaxResults: 60 })).UserPools as { Id: string }[];
    for (const pool of pools) {
      const clients = (await callOrThrow("ListUserPoolClients", { UserPoolId: pool.Id, MaxResults: 60 }))
        .UserPoolClients as { ClientId: string }[];
      for (const client of clients) poolOfClient.set(client.ClientId, pool.Id);
    }
    const found = poolOfClient.get(clientId);
    if (!found) throw new CognitoError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
    return found;
  }

  async function getTokensFromRefreshToken(input: Record<string, unknown>): Promise<UpstreamAnswer> {
    const answer = await call("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: input.ClientId,
      AuthParameters: { REFRESH_TOKEN: input.RefreshToken },
      ...(input.ClientMetadata ? { ClientMetadata: input.ClientMetadata } : {}),
    });
    if (answer.status !== 200) return answer;
    const result = (answer.body.AuthenticationResult ?? {}) as { AccessToken?: string; IdToken?: string };
    return {
      status: 200,
      body: {
        AuthenticationResult: {
          AccessToken: result.AccessToken,
          IdToken: result.IdToken,
          TokenType: "Bearer",
          ExpiresIn: lifetimeSeconds(result.AccessToken),
        },
      },
    };
  }

  async function resendConfirmationCode(input: Record<string, unknown>): Promise<UpstreamAnswer> {
    const clientId = String(input.ClientId ?? "");
    const username = String(input.Username ?? "");
    const user = await callOrThrow("AdminGetUser", { UserPoolId: await userPoolIdOf(clientId), Username: username });
    if (user.UserStatus !== "UNCONFIRMED") {
      throw new CognitoError("InvalidParameterException", "User is already confirmed.");
    }
    const sent = await callOrThrow("ForgotPassword", { ClientId: clientId, Username: username });
    await recordCode(clientId, username, "sign-up");
    return { status: 200, body: { CodeDeliveryDetails: sent.CodeDeliveryDetails } };
  }

  /**
   * Records the code cognito-local just sent. It runs in the request's turn, after cognito-local
   * has saved its file and answered and before anything else can write it, so one read finds it.
   */
  async function recordCode(clientId: string, username: string, purpose: CodePurpose): Promise<void> {
    const stored = options.storedCode(await userPoolIdOf(clientId), username);
    if (stored) options.codes.record(stored.email, stored.code, purpose);
  }

  /** SignUp and ForgotPassword go through unchanged; the code they sent is recorded. */
  function sendingCode(purpose: CodePurpose, operation: string) {
    return async (input: Record<string, unknown>): Promise<UpstreamAnswer> => {
      const answer = await call(operation, input);
      if (answer.status === 200) await recordCode(String(input.ClientId ?? ""), String(input.Username ?? ""), purpose);
      return answer;
    };
  }

  const bridges: Record<string, (input: Record<string, unknown>) => Promise<UpstreamAnswer>> = {
    GetTokensFromRefreshToken: getTokensFromRefreshToken,
    ResendConfirmationCode: hidingUserExistence("ResendConfirmationCode", resendConfirmationCode),
    SignUp: sendingCode("sign-up", "SignUp"),
    ForgotPassword: hidingUserExistence("ForgotPassword", sendingCode("password-reset", "ForgotPassword")),
    InitiateAuth: hidingUserExistence("InitiateAuth", (input) => call("InitiateAuth", input)),
    ConfirmSignUp: hidingUserExistence("ConfirmSignUp", (input) => call("ConfirmSignUp", input)),
    ConfirmForgotPassword: hidingUserExistence("ConfirmForgotPassword", (input) => call("ConfirmForgotPassword", input)),
  };

  /**
   * What Cognito answers for an unknown user when the app client prevents user existence errors
   * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html):
   * a password sign-in fails as a wrong password does, and the code operations answer as if a code had
   * gone to a simulated address (ForgotPassword, ResendConfirmationCode) or as if the code were
   * wrong (ConfirmForgotPassword). For ConfirmSignUp the page names no answer for an unknown user;
   * cognito-local's NotAuthorizedException stays.
   */
  function hidingUserExistence(
    operation: string,
    bridge: (input: Record<string, unknown>) => Promise<UpstreamAnswer>,
  ): (input: Record<string, unknown>) => Promise<UpstreamAnswer> {
    const failure = (type: string, message: string): UpstreamAnswer => ({ status: 400, body: { __type: type, message } });
    const unknownUser: Record<string, (input: Record<string, unknown>) => UpstreamAnswer> = {
      InitiateAuth: () => failure("NotAuthorizedException", "Incorrect username or password."),
      ConfirmSignUp: () => failure("NotAuthorizedException", "User cannot be confirmed."),
      ConfirmForgotPassword: () => failure("CodeMismatchException", "Invalid verification code provided, please try again."),
      ForgotPassword: (input) => ({ status: 200, body: { CodeDeliveryDetails: simulatedDelivery(String(input.Username ?? "")) } }),
      ResendConfirmationCode: (input) => ({ status: 200, body: { CodeDeliveryDetails: simulatedDelivery(String(input.Username ?? "")) } }),
    };
    const answerFor = unknownUser[operation]!;
    return async (input) => {
      let answer: UpstreamAnswer;
      try {
        answer = await bridge(input);
      } catch (error) {
        if (error instanceof CognitoError && error.type === "UserNotFoundException") return answerFor(input);
        throw error;
      }
      const type = String(answer.body.__type ?? "");
      return answer.status !== 200 && (type === "UserNotFoundException" || isPasswordRefusal(operation, input, type))
        ? answerFor(input)
        : answer;
    };
  }

  /**
   * cognito-local refuses a password sign-in of an unknown user with NotAuthorizedException "User
   * not authorized" and a wrong password with InvalidPasswordException — which tells the two
   * apart. Cognito answers both with NotAuthorizedException "Incorrect username or password.".
   */
  function isPasswordRefusal(operation: string, input: Record<string, unknown>, type: string): boolean {
    return (
      operation === "InitiateAuth" &&
      input.AuthFlow === "USER_PASSWORD_AUTH" &&
      (type === "NotAuthorizedException" || type === "InvalidPasswordException")
    );
  }

  /** Passes a request through unchanged; resolves once the answer has been passed on. */
  function forward(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
    return new Promise((done) => {
      const target = new URL(request.url ?? "/", upstream);
      const headers = { ...request.headers, host: target.host };
      delete headers.origin;
      const outgoing = httpRequest(target, { method: request.method, headers }, (incoming) => {
        const passed = Object.fromEntries(
          Object.entries(incoming.headers).filter(([name]) => !name.startsWith("access-control-") && name !== "vary"),
        );
        response.writeHead(incoming.statusCode ?? 502, { ...passed, ...responseCorsHeaders(cors, request) });
        incoming.pipe(response);
        incoming.on("end", done);
        incoming.on("error", done);
      });
      outgoing.on("error", (error) => {
        sendJson(response, 502, { message: `cognito-local: ${error.message}` }, request);
        done();
      });
      outgoing.end(body);
    });
  }

  function sendJson(response: ServerResponse, status: number, body: unknown, request: IncomingMessage, headers = {}): void {
    if (response.headersSent) return void response.destroy();
    response.writeHead(status, { "content-type": AMZ_JSON, ...headers, ...responseCorsHeaders(cors, request) });
    response.end(JSON.stringify(body));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (isPreflight(request)) {
      response.writeHead(204, preflightHeaders(cors, request));
      response.end();
      return;
    }
    const path = new URL(request.url ?? "/", "http://proxy").pathname;
    if (request.method === "GET" && path.startsWith(CODES_PATH)) {
      const email = decodeURIComponent(path.slice(CODES_PATH.length));
      const entry = options.codes.latestFor(email);
      response.writeHead(entry ? 200 : 404, { "content-type": "application/json", ...responseCorsHeaders(cors, request) });
      response.end(JSON.stringify(entry ?? { message: `No code has been sent to ${email}` }));
      return;
    }
    const body = await readBody(request);
    if (!upstream) return sendJson(response, 503, { message: "cognito-local is starting" }, request);
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    const bridged = Object.hasOwn(bridges, operation) ? bridges[operation] : undefined;
    if (request.method !== "POST" || !bridged) return oneAtATime(() => forward(request, response, body));
    try {
      const input = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
      const answer = masked(await oneAtATime(() => bridged(input)));
      const type = answer.status === 200 ? undefined : String(answer.body.__type ?? "");
      sendJson(response, answer.status, answer.body, request, type ? { "x-amzn-errortype": type } : {});
    } catch (error) {
      const failure =
        error instanceof CognitoError ? error : new CognitoError("InternalErrorException", String(error), 500);
      sendJson(response, failure.status, { __type: failure.type, message: failure.message }, request, {
        "x-amzn-errortype": failure.type,
      });
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      sendJson(response, 500, { __type: "InternalErrorException", message: String(error) }, request),
    );
  });
  const port = await listenOnLoopback(server, options.port ?? 0);
  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    setUpstream(url) {
      upstream = url;
    },
    stop: () => closeServer(server),
  };
}

/** An address as Cognito shows where a code went: "a***@e***". */
function maskAddress(address: string): string {
  const [local = "", domain = ""] = address.split("@");
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

/** Where Cognito says a code went when there is no such user: the address it was given, masked. */
function simulatedDelivery(username: string): { Destination: string; DeliveryMedium: "EMAIL"; AttributeName: "email" } {
  return { Destination: maskAddress(username), DeliveryMedium: "EMAIL", AttributeName: "email" };
}

/**
 * cognito-local names the whole address in CodeDeliveryDetails; Cognito masks it, so that the
 * answer for a real account looks like the simulated one for an unknown address.
 */
function masked(answer: UpstreamAnswer): UpstreamAnswer {
  const details = answer.body.CodeDeliveryDetails as { Destination?: string } | undefined;
  if (!details?.Destination?.includes("@")) return answer;
  return { ...answer, body: { ...answer.body, CodeDeliveryDetails: { ...details, Destination: maskAddress(details.Destination) } } };
}

/** exp - iat of a JWT, without verifying it (the caller just received it from cognito-local). */
function lifetimeSeconds(jwt: string | undefined): number | undefined {
  const payload = jwt?.split(".")[1];
  if (!payload) return undefined;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: number; iat?: number };
  return claims.exp !== undefined && claims.iat !== undefined ? claims.exp - claims.iat : undefined;
}
