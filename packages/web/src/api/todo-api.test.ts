import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { server } from "../test-support/msw-server";
import { ApiError } from "./api-error";
import { createTodoApi } from "./todo-api";

const api = createTodoApi({ baseUrl: "http://api.test/", getAccessToken: async () => "token-1" });
const caught = (promise: Promise<unknown>) => promise.then(() => expect.fail("should have failed"), (e: unknown) => e as ApiError);

describe("todo API client", () => {
  it("treats the gateway's bare 401 as unauthorized", async () => {
    server.use(http.get("http://api.test/todos/:id", () => HttpResponse.json({ message: "Unauthorized" }, { status: 401 })));
    const error = await caught(api.get("01JAAAAAAAAAAAAAAAAAAAAAAA"));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.isUnauthorized).toBe(true);
  });

  it("treats the gateway's bare 429 as throttling, with its Retry-After", async () => {
    server.use(
      http.get("http://api.test/todos/:id", () =>
        HttpResponse.json({ message: "Too Many Requests" }, { status: 429, headers: { "retry-after": "2" } }),
      ),
    );
    const error = await caught(api.get("01JAAAAAAAAAAAAAAAAAAAAAAA"));
    expect([error.code, error.isTransient, error.extra.retryAfterSeconds]).toEqual(["TOO_MANY_REQUESTS", true, 2]);
  });

  it("rejects a response that does not match the contract", async () => {
    server.use(http.get("http://api.test/todos", () => HttpResponse.json({ items: [{ id: 1 }], nextCursor: null })));
    const error = await caught(api.list());
    expect(error.code).toBe("BAD_RESPONSE");
  });

  it("reads the error envelope, including currentVersion on a conflict", async () => {
    server.use(
      http.patch("http://api.test/todos/:id", ({ request }) => {
        expect(request.headers.get("if-match")).toBe("3");
        expect(request.headers.get("authorization")).toBe("Bearer token-1");
        return HttpResponse.json({ error: { code: "VERSION_CONFLICT", message: "stale", currentVersion: 4 } }, { status: 409 });
      }),
    );
    const error = await caught(api.update("01JAAAAAAAAAAAAAAAAAAAAAAA", { completed: true }, 3));
    expect([error.status, error.code, error.extra.currentVersion]).toEqual([409, "VERSION_CONFLICT", 4]);
  });

  it("refuses to send a title the contract forbids", async () => {
    await expect(api.create({ title: "x".repeat(501) }, "key")).rejects.toThrow(/at most 500/);
  });
});
