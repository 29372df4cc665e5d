/**
 * docs/openapi.json: generated from the route table, operations.ts and the zod contract, current,
 * a well-formed OpenAPI 3.1 document, and true of the real handlers' answers (DynamoDB Local):
 * every status they answer is listed for the route, and every body validates against its schema.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { newLogEntryId, SYNC_LOG_RETENTION_SECONDS, syncCursorAfter } from "@tasks/core";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument, openApiJson } from "../src/openapi/document.js";
import { operations, type RouteKey } from "../src/openapi/operations.js";
import { routeKey, routes } from "../src/routes.js";
import { handler as listLists } from "../src/lists/list.js";
import { apiEvent, lambdaContext } from "./api-event.js";
import { invoke, useHandlerTables, type Answer, type Request } from "./invoke.js";

const DOC = join(import.meta.dirname, "../../../docs/openapi.json");
const DOC_ID = "https://tasks.invalid/openapi.json";

type Json = any;
let built: Json;
/** Built on first use, so that a generator failure fails the tests that use it, not the whole file. */
function doc(): Json {
  return (built ??= openApiDocument());
}

/** The document as one schema resource, so that a JSON pointer into it compiles with its $refs. */
function documentValidator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // OpenAPI's own top-level fields: annotations to ajv, which keeps strict mode for the schemas.
  ajv.addVocabulary(Object.keys(doc()));
  ajv.addSchema({ ...doc(), $id: DOC_ID });
  const compiled = new Map<string, ValidateFunction>();
  return {
    ajv,
    at(pointer: string[]): ValidateFunction {
      const fragment = pointer.map((token) => encodeURIComponent(token.replaceAll("~", "~0").replaceAll("/", "~1"))).join("/");
      const ref = `${DOC_ID}#/${fragment}`;
      if (!compiled.has(ref)) compiled.set(ref, ajv.compile({ $ref: ref }));
      return compiled.get(ref)!;
    },
  };
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") found.push(item);
      else refsIn(item, found);
    }
  }
  return found;
}

function resolve(ref: string): unknown {
  expect(ref.startsWith("#/"), `${ref} is not a local reference`).toBe(true);
  return ref
    .slice(2)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<any>((node, token) => (node === undefined ? undefined : node[token]), doc());
}

describe("the OpenAPI operations", () => {
  it("name exactly the routes of routes.ts, each with its own operationId", () => {
    const routeKeys = routes.map(routeKey).sort();
    expect(Object.keys(operations).sort(), "operations.ts and routes.ts disagree on the routes").toEqual(routeKeys);
    const ids = Object.values(operations).map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("docs/openapi.json", () => {
  it("is what the generator makes of the contract (UPDATE_DOCS=1 rewrites it)", () => {
    if (process.env.UPDATE_DOCS === "1") writeFileSync(DOC, openApiJson());
    expect(readFileSync(DOC, "utf8"), "docs/openapi.json is stale: run `pnpm docs:openapi`").toBe(openApiJson());
  });

  it("is OpenAPI 3.1 with every route of routes.ts and nothing else, bearer-secured", () => {
    expect(doc().openapi).toMatch(/^3\.1\.\d+$/);
    const documented = Object.entries(doc().paths as Record<string, object>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.map(routeKey).sort());
    expect(doc().components.securitySchemes.cognitoAccessToken).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(doc().security).toEqual([{ cognitoAccessToken: [] }]);
    for (const route of routes) {
      const operation = doc().paths[route.path][route.method.toLowerCase()];
      const pathParameters = operation.parameters?.filter((parameter: Json) => parameter.in === "path").map((p: Json) => p.name) ?? [];
      expect(pathParameters, routeKey(route)).toEqual([...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name));
      expect(Object.keys(operation.responses), routeKey(route)).toEqual(expect.arrayContaining(["401", "429", "500", "503"]));
    }
  });

  it("has every $ref resolving and every schema valid JSON Schema 2020-12 (ajv strict)", () => {
    const refs = refsIn(doc());
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) expect(resolve(ref), `${ref} resolves to nothing`).toBeDefined();
    const validator = documentValidator();
    for (const name of Object.keys(doc().components.schemas)) validator.at(["components", "schemas", name]);
    for (const [path, methods] of Object.entries<Json>(doc().paths)) {
      for (const [method, operation] of Object.entries<Json>(methods)) {
        for (const [status, response] of Object.entries<Json>(operation.responses)) {
          if (response.content) validator.at(["paths", path, method, "responses", status, "content", "application/json", "schema"]);
        }
        (operation.parameters ?? []).forEach((_: Json, index: number) => validator.at(["paths", path, method, "parameters", String(index), "schema"]));
      }
    }
  });
});

describe("the handlers' answers", () => {
  useHandlerTables({ MAX_LISTS_PER_USER: "6" });
  let validator: ReturnType<typeof documentValidator>;
  beforeAll(() => {
    validator = documentValidator();
  });
  const driven = new Set<string>();

  /** Invokes the route's handler and checks the answer against what the document says of the route. */
  async function call(key: RouteKey, path: string, status: number, request: Request = {}): Promise<Answer> {
    const [method, routePath] = key.split(" ") as [string, string];
    const answer = await invoke(method, path, request);
    expect(answer.status, `${key} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
    expectDocumented(key, answer);
    if (answer.status < 300 && request.json !== undefined) {
      const accepts = validator.at(["paths", routePath, method.toLowerCase(), "requestBody", "content", "application/json", "schema"]);
      expect(accepts(request.json), `${key}: the document refuses a body the handler took: ${validator.ajv.errorsText(accepts.errors)}`).toBe(true);
    }
    return answer;
  }

  function expectDocumented(key: RouteKey, answer: Answer): void {
    driven.add(key);
    const [method, routePath] = key.split(" ") as [string, string];
    const responses = doc().paths[routePath][method.toLowerCase()].responses;
    const status = String(answer.status);
    expect(Object.keys(responses), `${key} answered ${status} ${JSON.stringify(answer.body)}, which the document does not list`).toContain(status);
    const response = responses[status];
    if (response.content) {
      const validate = validator.at(["paths", routePath, method.toLowerCase(), "responses", status, "content", "application/json", "schema"]);
      expect(validate(answer.body), `${key} ${status}: ${validator.ajv.errorsText(validate.errors)} in ${JSON.stringify(answer.body)}`).toBe(true);
    } else {
      expect(answer.body, `${key} ${status} has a body the document does not describe`).toBeUndefined();
    }
    for (const [name, header] of Object.entries<Json>(response.headers ?? {})) {
      if (header.required || name === "x-request-id") expect(answer.headers[name.toLowerCase()], `${key} ${status}: ${name}`).toBeTruthy();
    }
  }

  it("match the document on every route, for successes and errors", async () => {
    const user = `openapi-${randomUUID().slice(0, 8)}`;
    const json = (body: unknown) => ({ user, json: body });

    await call("GET /lists", "/lists", 200, { user });
    const once = { "idempotency-key": randomUUID() };
    const list = (await call("POST /lists", "/lists", 201, { ...json({ name: "Work", position: 5 }), headers: once })).body;
    expect((await call("POST /lists", "/lists", 201, { ...json({ name: "Work", position: 5 }), headers: once })).body).toEqual(list);
    await call("POST /lists", "/lists", 422, { ...json({ name: "Home" }), headers: once });
    expect(list.id).toBeTruthy();
    await call("POST /lists", "/lists", 400, json({ name: "" }));
    await call("PATCH /lists/{listId}", `/lists/${list.id}`, 200, { ...json({ name: "Office" }), headers: { "if-match": "1" } });
    await call("PATCH /lists/{listId}", `/lists/${list.id}`, 409, { ...json({ name: "Late" }), headers: { "if-match": "1" } });

    const todo = (await call("POST /todos", "/todos", 201, json({ title: "Write docs", listId: list.id, due: "2026-12-31", notes: "a\nb" }))).body;
    await call("POST /todos", "/todos", 201, json({ title: "In the default list" }));
    await call("POST /todos", "/todos", 400, json({ title: "  ", id: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }));
    await call("POST /todos", "/todos", 415, { user, json: { title: "x" }, headers: { "content-type": "text/plain" } });
    await call("POST /todos", "/todos", 413, json({ title: "x", notes: "n".repeat(17 * 1024) }));
    await call("POST /todos", "/todos", 404, json({ title: "x", listId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }));

    await call("GET /todos", "/todos", 200, { user, query: { listId: list.id, limit: "1" } });
    await call("GET /todos", "/todos", 400, { user, query: { limit: "0" } });
    await call("GET /todos/{id}", `/todos/${todo.id}`, 200, { user });
    await call("GET /todos/{id}", "/todos/01ARZ3NDEKTSV4RRFFQ69G5FAV", 404, { user });
    await call("GET /todos/{id}", "/todos/not-an-id", 400, { user });
    await call("PATCH /todos/{id}", `/todos/${todo.id}`, 200, { ...json({ completed: true, due: null }), headers: { "if-match": "1" } });
    await call("PATCH /todos/{id}", `/todos/${todo.id}`, 409, { ...json({ title: "again" }), headers: { "if-match": "1" } });
    await call("PATCH /todos", "/todos", 200, { ...json({ completed: true }), query: { listId: "default" } });
    await call("DELETE /todos", "/todos", 400, { user });
    await call("DELETE /todos", "/todos", 200, { user, query: { completed: "true" } });

    const last = (await call("POST /todos", "/todos", 201, json({ title: "to delete" }))).body;
    await call("DELETE /todos/{id}", `/todos/${last.id}`, 409, { user, headers: { "if-match": "7" } });
    await call("DELETE /todos/{id}", `/todos/${last.id}`, 204, { user, headers: { "if-match": "1" } });
    const snapshot = (await call("GET /sync", "/sync", 200, { user })).body;
    await call("GET /sync", "/sync", 200, { user, query: { since: snapshot.cursor } });
    await call("GET /sync", "/sync", 400, { user, query: { since: "forged" } });
    const expired = syncCursorAfter(user, newLogEntryId(new Date(Date.now() - (SYNC_LOG_RETENTION_SECONDS + 60) * 1000)));
    await call("GET /sync", "/sync", 410, { user, query: { since: expired } });
    await call("DELETE /lists/{listId}", "/lists/default", 409, { user });
    await call("DELETE /lists/{listId}", `/lists/${list.id}`, 204, { user });
    await call("DELETE /lists/{listId}", `/lists/${list.id}`, 404, { user });

    expect([...driven].sort(), "every route was driven").toEqual(routes.map(routeKey).sort());
  }, 30_000);

  it("match the document when the caller has no access token (401)", async () => {
    const event = apiEvent({ method: "GET", path: "/lists", claims: null });
    const result = await listLists(event, lambdaContext());
    expect(result.statusCode).toBe(401);
    expectDocumented("GET /lists", {
      status: result.statusCode ?? 200,
      headers: (result.headers ?? {}) as Record<string, string>,
      body: result.body ? JSON.parse(result.body) : undefined,
    });
  });
});
