/**
 * OWASP API Security Top 10, end to end through the offline stack: broken object-level
 * authorization (API1) on every route, broken authentication (API2) on every route, mass
 * assignment / property-level authorization (API3) and a battery of malformed input (API8/API4),
 * each answered with the documented status, leaving the victim's data untouched and echoing no
 * secret. (test/stack.test.ts has the basic 401 and isolation cases; this file goes wider.)
 */
import { createHmac, createPrivateKey, generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import { MAX_BODY_BYTES, TITLE_MAX_LENGTH, type Todo } from "@tasks/core/contract";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../../test-support/cognito-users.js";
import { decodeJwtPart, encodeJwtPart, signJwt } from "../../test-support/jwt.js";
import { errorCode, expectSafeError, startHarness, type ApiResponse, type Harness, type User } from "./support.js";

let h: Harness;
let alice: User;
let mallory: User;
/** Alice's tasks as she saw them before any attack; compared after each group. */
let aliceTasks: Todo[];
let malloryTask: Todo;

beforeAll(async () => {
  h = await startHarness();
  [alice, mallory] = await Promise.all([h.signUp("alice"), h.signUp("mallory")]);
  await h.create(alice, { title: "alice: open", order: 1 });
  await h.create(alice, { title: "alice: done", completed: true, order: 2 });
  await h.create(alice, { title: "alice: third", order: 3 });
  aliceTasks = await h.listAll(alice);
  malloryTask = await h.create(mallory, { title: "mallory's own", completed: true });
});

afterAll(() => h?.stop());

/**
 * After every test (each attack on its own, whatever ran before it): Alice's data, read back as
 * Alice, is the same list, and each task is unchanged by id.
 */
afterEach(async () => {
  if (h && aliceTasks) await expectAliceUntouched();
});

async function expectAliceUntouched(): Promise<void> {
  expect(await h.listAll(alice)).toEqual(aliceTasks);
  for (const task of aliceTasks) {
    const read = await h.call(alice.accessToken, "GET", `/todos/${task.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(task);
  }
}

function secretsOf(user: User): string[] {
  return [user.accessToken, user.idToken, user.refreshToken, PASSWORD];
}

describe("API1 broken object-level authorization: Mallory against Alice's tasks", () => {
  const attacks: [string, string, (task: Todo) => string, Record<string, string>?, unknown?][] = [
    ["read", "GET", (t) => `/todos/${t.id}`],
    ["patch", "PATCH", (t) => `/todos/${t.id}`, {}, { title: "pwned" }],
    ["patch with the right If-Match", "PATCH", (t) => `/todos/${t.id}`, { "if-match": "1" }, { completed: true }],
    ["patch with a wrong If-Match (must not leak the version)", "PATCH", (t) => `/todos/${t.id}`, { "if-match": "7" }, { order: 9 }],
    ["delete", "DELETE", (t) => `/todos/${t.id}`],
    ["delete with the right If-Match", "DELETE", (t) => `/todos/${t.id}`, { "if-match": "1" }],
    ["delete with a wrong If-Match", "DELETE", (t) => `/todos/${t.id}`, { "if-match": "7" }],
    ["read with Alice's sub in a header", "GET", (t) => `/todos/${t.id}`, { "x-user-id": "ALICE" }],
  ];

  it.for(attacks)("%s → 404 NOT_FOUND, nothing about the task in the answer", async ([, method, path, headers, body]) => {
    for (const task of aliceTasks) {
      const response = await h.call(mallory.accessToken, method, path(task), {
        headers: Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, v.replace("ALICE", alice.sub)])),
        ...(body !== undefined ? { body } : {}),
      });
      expect(response.status, response.text).toBe(404);
      expect(errorCode(response)).toBe("NOT_FOUND");
      expect(response.text).not.toContain(task.title);
      expect(response.body).not.toHaveProperty("error.currentVersion");
      expectSafeError(response, secretsOf(mallory));
    }
  });

  it("list: Mallory sees only her own tasks, and cannot name Alice as the owner in the query", async () => {
    const ids = (await h.listAll(mallory)).map((task) => task.id);
    expect(ids).toEqual([malloryTask.id]);
    for (const query of [`userId=${alice.sub}`, `sub=${alice.sub}`, `owner=${alice.sub}`]) {
      const response = await h.call(mallory.accessToken, "GET", `/todos?${query}`);
      expect(response.status).toBe(400);
      expect(errorCode(response)).toBe("VALIDATION_FAILED");
    }
  });

  it("cursor reuse: Alice's cursor never reaches Alice's partition from Mallory's session", async () => {
    const alicePage = await h.call(alice.accessToken, "GET", "/todos?limit=1");
    const cursor = (alicePage.body as { nextCursor: string }).nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const reused = await h.call(mallory.accessToken, "GET", `/todos?limit=100&cursor=${encodeURIComponent(cursor)}`);
    // Cursors are tagged with the user they were issued to (core/cursor.ts): another user's is a 400.
    expect(reused.status).toBe(400);
    expect(errorCode(reused)).toBe("VALIDATION_FAILED");
    for (const task of aliceTasks) expect(reused.text).not.toContain(task.id);
    // A cursor forged to name Alice's partition key is refused.
    const forged = Buffer.from(JSON.stringify({ after: aliceTasks[0]!.id, userId: alice.sub })).toString("base64url");
    const refused = await h.call(mallory.accessToken, "GET", `/todos?cursor=${forged}`);
    expect(refused.status).toBe(400);
    expect(errorCode(refused)).toBe("VALIDATION_FAILED");
  });

  it("clear-completed deletes only the caller's completed tasks", async () => {
    // An attacker of its own, so that no other test's view of Mallory's tasks depends on this one.
    const eve = await h.signUp("eve");
    const open = await h.create(eve, { title: "eve: open" });
    await h.create(eve, { title: "eve: done", completed: true });
    const cleared = await h.call(eve.accessToken, "DELETE", "/todos?completed=true");
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual({ deleted: 1 });
    expect(await h.listAll(eve)).toEqual([open]);
  });
});

// ---------------------------------------------------------------------------------------------

const cognitoLocalKey = createPrivateKey({
  key: (createRequire(import.meta.url)("cognito-local/lib/keys/cognitoLocal.private.json") as { jwk: object }).jwk,
  format: "jwk",
} as Parameters<typeof createPrivateKey>[0]);

const b64 = encodeJwtPart;
const claimsOf = (jwt: string) => decodeJwtPart(jwt, 1);

describe("API2 broken authentication, on every route", () => {
  const now = () => Math.floor(Date.now() / 1000);
  /** Alice's access-token claims, re-signed genuinely, with `changes` applied. */
  const resigned = (changes: Record<string, unknown>) => {
    const claims: Record<string, unknown> = { ...claimsOf(alice.accessToken), exp: now() + 3600, ...changes };
    for (const [name, value] of Object.entries(changes)) if (value === undefined) delete claims[name];
    return `Bearer ${signJwt(claims, cognitoLocalKey)}`;
  };

  const cases: [string, () => string | undefined][] = [
    ["no Authorization header", () => undefined],
    ["the Basic scheme with the right password", () => `Basic ${Buffer.from(`${alice.email}:${PASSWORD}`).toString("base64")}`],
    ['"Bearer" with nothing after it', () => "Bearer "],
    ["Bearer garbage", () => "Bearer garbage"],
    ["the access token without a scheme, doubled", () => `Bearer ${alice.accessToken} ${alice.accessToken}`],
    ['alg "none", Alice\'s claims, no signature', () => `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(claimsOf(alice.accessToken))}.`],
    [
      'alg "none" with cognito-local\'s kid',
      () => `Bearer ${b64({ alg: "none", kid: "CognitoLocal" })}.${b64(claimsOf(alice.accessToken))}.`,
    ],
    [
      "HS256 keyed with the public key (algorithm confusion)",
      () => {
        const publicPem = cognitoLocalKey.export({ format: "jwk" }) as { n: string };
        const head = `${b64({ alg: "HS256", typ: "JWT", kid: "CognitoLocal" })}.${b64(claimsOf(alice.accessToken))}`;
        return `Bearer ${head}.${createHmac("sha256", publicPem.n).update(head).digest("base64url")}`;
      },
    ],
    [
      "tampered payload (longer expiry) with the original signature",
      () => {
        const [head, , signature] = alice.accessToken.split(".");
        return `Bearer ${head}.${b64({ ...claimsOf(alice.accessToken), exp: now() + 86_400 * 365 })}.${signature}`;
      },
    ],
    [
      "signed with another key under cognito-local's kid",
      () => `Bearer ${signJwt({ ...claimsOf(alice.accessToken), exp: now() + 3600 }, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey)}`,
    ],
    ["expired (genuine signature)", () => resigned({ iat: now() - 7200, exp: now() - 60 })],
    ["not valid yet (nbf in the future)", () => resigned({ nbf: now() + 3600 })],
    ["wrong issuer (another pool, genuine signature)", () => resigned({ iss: `${h.stack.cognitoEndpoint}/local_otherpool` })],
    ["issuer over https instead of the configured one", () => resigned({ iss: h.stack.issuer.replace("http:", "https:") })],
    ["wrong audience: another client id", () => resigned({ client_id: "someone-elses-client" })],
    ["no client id nor audience", () => resigned({ client_id: undefined })],
    ["ID token (aud = our client, token_use = id)", () => `Bearer ${alice.idToken}`],
    ["access claims but token_use = id", () => resigned({ token_use: "id" })],
    ["no sub", () => resigned({ sub: undefined })],
    ["refresh token as a bearer token", () => `Bearer ${alice.refreshToken}`],
  ];

  const routes = (task: Todo): [string, string, unknown?][] => [
    ["GET", "/todos"],
    ["POST", "/todos", { title: "should not exist" }],
    ["DELETE", "/todos?completed=true"],
    ["GET", `/todos/${task.id}`],
    ["PATCH", `/todos/${task.id}`, { title: "should not change" }],
    ["DELETE", `/todos/${task.id}`],
    ["GET", "/export"],
    // Last: were a forged token let through here, Alice would be gone for the rest of the file.
    ["DELETE", "/account"],
  ];

  it("control: a genuinely re-signed copy of Alice's claims is accepted (the cases below fail for their stated reason)", async () => {
    const response = await h.call(undefined, "GET", "/todos", { authorization: resigned({}) });
    expect(response.status).toBe(200);
  });

  it.for(cases)("%s → 401 on every route, nothing echoed", async ([, authorization]) => {
    const header = authorization();
    for (const [method, path, body] of routes(aliceTasks[0]!)) {
      const response = await h.call(undefined, method, path, {
        ...(header !== undefined ? { authorization: header } : {}),
        ...(body !== undefined ? { body } : {}),
      });
      expect(response.status, `${method} ${path}: ${response.text}`).toBe(401);
      expectSafeError(response, [...secretsOf(alice), ...(header ? [header.replace(/^\w+ /, "")] : [])].filter((s) => s.length > 8));
    }
  });

  it("a token in the query string is not a credential", async () => {
    const response = await h.call(undefined, "GET", `/todos?access_token=${alice.accessToken}`);
    expect(response.status).toBe(401);
    expectSafeError(response, secretsOf(alice));
  });
});

// ---------------------------------------------------------------------------------------------

describe("API3 mass assignment: fields the client may not set", () => {
  const forbidden: [string, unknown][] = [
    ["id", "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
    ["userId", "someone-else"],
    ["todoId", "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
    ["version", 99],
    ["createdAt", "2000-01-01T00:00:00.000Z"],
    ["updatedAt", "2000-01-01T00:00:00.000Z"],
    ["owner", "alice"],
    ["isAdmin", true],
  ];

  it.for(forbidden)("%s → 400 on create and on patch, naming the field; nothing stored or changed", async ([field, value]) => {
    const target = aliceTasks[0]!;
    const attempts: [string, string, Record<string, unknown>][] = [
      ["POST", "/todos", { title: "mass assignment", [field]: value }],
      ["PATCH", `/todos/${target.id}`, { title: "mass assignment", [field]: value }],
      ["PATCH", `/todos/${target.id}`, { [field]: value }],
    ];
    for (const [method, path, body] of attempts) {
      const response = await h.call(alice.accessToken, method, path, { body });
      expect(response.status, response.text).toBe(400);
      expect(errorCode(response)).toBe("VALIDATION_FAILED");
      expect(response.text).toContain(field);
      expectSafeError(response, secretsOf(alice));
    }
  });
});

// ---------------------------------------------------------------------------------------------

interface BadInput {
  name: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** `{id}` is replaced by one of Alice's task ids. */
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  /** The contract's error code; omitted for API Gateway's own answers ({"message"}). */
  code?: string;
}

const post = (name: string, body: string, status = 400, code = "VALIDATION_FAILED"): BadInput => ({
  name: `POST ${name}`,
  method: "POST",
  path: "/todos",
  body,
  status,
  code,
});
const patch = (name: string, body: string, headers: Record<string, string> = {}, status = 400): BadInput => ({
  name: `PATCH ${name}`,
  method: "PATCH",
  path: "/todos/{id}",
  body,
  headers,
  status,
  code: "VALIDATION_FAILED",
});
const query = (method: "GET" | "DELETE", search: string, path = "/todos"): BadInput => ({
  name: `${method} ${path}?${search.length > 60 ? `${search.slice(0, 60)}…` : search}`,
  method,
  path: `${path}?${search}`,
  status: 400,
  code: "VALIDATION_FAILED",
});
const title = (value: string) => JSON.stringify({ title: value });

const BAD_INPUTS: BadInput[] = [
  // JSON syntax
  post("unterminated object", "{"),
  post("trailing comma", '{"title":"a",}'),
  post("single quotes", "{'title':'a'}"),
  post("unquoted key", "{title:\"a\"}"),
  post("two documents", '{"title":"a"}{"title":"b"}'),
  post("empty body", ""),
  post("NaN literal", '{"title":"a","order":NaN}'),
  post("comment", '{"title":"a" /* hi */}'),
  // not an object
  post("null", "null"),
  post("a string", '"just a title"'),
  post("a number", "42"),
  post("an empty array", "[]"),
  post("an array of tasks", '[{"title":"a"}]'),
  // types
  post("missing title", "{}"),
  post("title null", '{"title":null}'),
  post("title number", '{"title":123}'),
  post("title boolean", '{"title":true}'),
  post("title array", '{"title":["a"]}'),
  post("title nested object", '{"title":{"text":"a"}}'),
  post("completed as string", '{"title":"a","completed":"true"}'),
  post("completed as 1", '{"title":"a","completed":1}'),
  post("completed null", '{"title":"a","completed":null}'),
  post("order as string", '{"title":"a","order":"1"}'),
  post("unknown nested object", `{"title":"a","meta":{"deep":{"deeper":[1,2,3]}}}`),
  post("deeply nested arrays", `{"title":"a","x":${"[".repeat(2_000)}${"]".repeat(2_000)}}`),
  // sizes and numbers
  post("empty title", title("")),
  post("blank title", title(" \t ")),
  post(`title of ${TITLE_MAX_LENGTH + 1} characters`, title("x".repeat(TITLE_MAX_LENGTH + 1))),
  post(`title of ${TITLE_MAX_LENGTH + 1} emoji`, title("😀".repeat(TITLE_MAX_LENGTH + 1))),
  post("order beyond 1e15", '{"title":"a","order":1000000000000001}'),
  post("order 1e308", '{"title":"a","order":1e308}'),
  post("order overflowing to Infinity", '{"title":"a","order":1e400}'),
  post("order -1e300", '{"title":"a","order":-1e300}'),
  post("huge integer literal", `{"title":"a","order":${"9".repeat(400)}}`),
  post(`body of ${MAX_BODY_BYTES + 1} bytes`, `${" ".repeat(MAX_BODY_BYTES + 1 - title("a").length)}${title("a")}`, 413, "PAYLOAD_TOO_LARGE"),
  { name: "POST a body over API Gateway's 10 MB", method: "POST", path: "/todos", body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), status: 413 },
  // unicode and control characters
  post("NUL in the title", title("a\u0000b")),
  post("newline in the title", title("line\nbreak")),
  post("escape sequence in the title", title("\u001b[31mred")),
  post("DEL in the title", title("a\u007fb")),
  post("C1 control in the title", title("a\u0085b")),
  post("lone surrogate in the title", '{"title":"a\\ud800b"}'),
  post("reversed surrogate pair", '{"title":"\\udc00\\ud800"}'),
  // prototype pollution
  post("__proto__ key", '{"title":"a","__proto__":{"isAdmin":true}}'),
  post("constructor.prototype key", '{"title":"a","constructor":{"prototype":{"isAdmin":true}}}'),
  post("duplicate key, last one invalid", '{"title":"a","title":""}'),
  // media types
  { ...post("as text/plain", title("a"), 415, "UNSUPPORTED_MEDIA_TYPE"), headers: { "content-type": "text/plain" } },
  { ...post("as a form", "title=a", 415, "UNSUPPORTED_MEDIA_TYPE"), headers: { "content-type": "application/x-www-form-urlencoded" } },
  { ...post("as application/json-patch+json", title("a"), 415, "UNSUPPORTED_MEDIA_TYPE"), headers: { "content-type": "application/json-patch+json" } },
  { ...post("as octet-stream", title("a"), 415, "UNSUPPORTED_MEDIA_TYPE"), headers: { "content-type": "application/octet-stream" } },
  // headers
  { ...post("with a 129-character Idempotency-Key", title("a")), headers: { "idempotency-key": "k".repeat(129) } },
  { ...post("with a non-ASCII Idempotency-Key", title("a")), headers: { "idempotency-key": "clé" } },
  // PATCH
  patch("empty object", "{}"),
  patch("an array", "[]"),
  patch("title null", '{"title":null}'),
  patch("completed as 'yes'", '{"completed":"yes"}'),
  patch("control character in the title", title("tab\there")),
  patch("__proto__ only", '{"__proto__":{"completed":true}}'),
  patch("If-Match not a number", '{"completed":true}', { "if-match": "abc" }),
  patch("If-Match negative", '{"completed":true}', { "if-match": "-1" }),
  patch("If-Match in exponent form", '{"completed":true}', { "if-match": "1e3" }),
  patch("If-Match of 20 digits", '{"completed":true}', { "if-match": "9".repeat(20) }),
  patch("If-Match a list", '{"completed":true}', { "if-match": '"1", "2"' }),
  { ...patch("not JSON", "completed=true"), headers: { "content-type": "text/plain" }, status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
  // ids in the path
  { name: "GET a lower-case id", method: "GET", path: "/todos/01arz3ndektsv4rrffq69g5fav", status: 400, code: "VALIDATION_FAILED" },
  { name: "GET an id of 27 characters", method: "GET", path: "/todos/01ARZ3NDEKTSV4RRFFQ69G5FAVX", status: 400, code: "VALIDATION_FAILED" },
  { name: "GET an id with I, L, O, U", method: "GET", path: "/todos/01ARZ3NDEKTSV4RRFFQ69G5ILO", status: 400, code: "VALIDATION_FAILED" },
  { name: "PATCH an encoded NUL id", method: "PATCH", path: "/todos/%00", body: title("a"), status: 400, code: "VALIDATION_FAILED" },
  { name: "DELETE a path-traversal id", method: "DELETE", path: "/todos/..%2F..%2Fetc", status: 400, code: "VALIDATION_FAILED" },
  { name: "DELETE the counter's sort key", method: "DELETE", path: "/todos/%23counter", status: 400, code: "VALIDATION_FAILED" },
  // query parameter abuse
  query("GET", "limit=0"),
  query("GET", "limit=101"),
  query("GET", "limit=-1"),
  query("GET", "limit=abc"),
  query("GET", "limit=1e2"),
  query("GET", "limit=2.5"),
  query("GET", `limit=${"9".repeat(30)}`),
  query("GET", "limit="),
  query("GET", "limit=10&limit=20"),
  query("GET", "completed=yes"),
  query("GET", "completed=true&completed=false"),
  query("GET", "foo=bar"),
  query("GET", "__proto__=x"),
  query("GET", "constructor=x"),
  query("GET", `cursor=${"A".repeat(600)}`),
  query("GET", "cursor=!!!"),
  query("GET", `cursor=${Buffer.from('{"after":"x"}').toString("base64url")}`),
  query("GET", "cursor="),
  query("DELETE", ""),
  query("DELETE", "completed=false"),
  query("DELETE", "completed=true&completed=true"),
  query("DELETE", "completed=true&all=true"),
];

describe("API8 malformed input: the documented status, and nothing stored", () => {
  it(`has at least 40 cases (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  it.for(BAD_INPUTS)("$name → $status", async (input) => {
    const target = aliceTasks[0]!;
    const response: ApiResponse = await h.call(alice.accessToken, input.method, input.path.replace("{id}", target.id), {
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.headers ? { headers: input.headers } : {}),
    });
    expect(response.status, response.text).toBe(input.status);
    if (input.code) {
      expect(errorCode(response)).toBe(input.code);
      expect(response.body).toHaveProperty("error.requestId", response.headers.get("x-request-id"));
    }
    expectSafeError(response, secretsOf(alice));
  });
});
