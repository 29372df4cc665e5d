import { routes } from "@tasks/functions/routes";
import { describe, expect, it } from "vitest";
import { createRouteMatcher } from "./route-matcher.js";

describe("createRouteMatcher", () => {
  const match = createRouteMatcher(routes);

  it("matches every route of the route table by method and path", () => {
    expect(match("GET", "/todos")?.routeKey).toBe("GET /todos");
    expect(match("DELETE", "/todos")?.routeKey).toBe("DELETE /todos");
    expect(match("PATCH", "/todos/01ABC")).toMatchObject({ routeKey: "PATCH /todos/{id}", pathParameters: { id: "01ABC" } });
  });

  it("decodes path parameters", () => {
    expect(match("GET", "/todos/a%20b")?.pathParameters).toEqual({ id: "a b" });
  });

  it("matches nothing for unknown paths, methods, trailing slashes and empty parameters", () => {
    expect(match("PUT", "/todos")).toBeUndefined();
    expect(match("GET", "/todos/")).toBeUndefined();
    expect(match("GET", "/todos/1/2")).toBeUndefined();
    expect(match("GET", "/")).toBeUndefined();
  });

  it("prefers literal segments over parameters, and parameters over greedy ones", () => {
    const m = createRouteMatcher([
      { method: "GET", path: "/{proxy+}" },
      { method: "GET", path: "/items/{id}" },
      { method: "GET", path: "/items/special" },
    ]);
    expect(m("GET", "/items/special")?.routeKey).toBe("GET /items/special");
    expect(m("GET", "/items/7")?.routeKey).toBe("GET /items/{id}");
    expect(m("GET", "/other/deep/path")).toMatchObject({ pathParameters: { proxy: "other/deep/path" } });
  });
});
