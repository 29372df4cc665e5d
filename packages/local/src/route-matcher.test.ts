import { routeKey, routes } from "@tasks/functions/routes";
import { describe, expect, it } from "vitest";
import { createRouteMatcher } from "./route-matcher.js";

describe("createRouteMatcher", () => {
  const match = createRouteMatcher(routes);

  /** A concrete request path for a route path: each `{name}` filled with a value of its own. */
  const concrete = (path: string) => path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => `value-of-${name}`);

  it.for(routes.map((route) => [routeKey(route), route] as const))("matches %s by method and path, to that route", ([key, route]) => {
    const matched = match(route.method, concrete(route.path));
    expect(matched?.route).toBe(route);
    expect(matched?.routeKey).toBe(key);
    const names = [...route.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!);
    if (names.length) expect(matched?.pathParameters).toEqual(Object.fromEntries(names.map((name) => [name, `value-of-${name}`])));
    else expect(matched).not.toHaveProperty("pathParameters");
  });

  it("matches no route of the table with a method the table does not pair with its path", () => {
    const methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    for (const path of new Set(routes.map((route) => route.path))) {
      for (const method of methods) {
        const expected = routes.find((route) => route.method === method && route.path === path);
        expect(match(method, concrete(path))?.route, `${method} ${path}`).toBe(expected);
      }
    }
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
