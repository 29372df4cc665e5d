import { describe, expect, it } from "vitest";
import { assertRouteIsSafe, functionPermissions } from "../route-permissions";

const RATE_LIMIT = ["dynamodb:UpdateItem"] as const;
const health = {
  method: "GET",
  path: "/health",
  handler: "health",
  permissions: { todos: ["dynamodb:GetItem"], rateLimits: RATE_LIMIT },
} as const;
const arns = { todos: "T", idempotency: "I", rateLimits: "R", connections: "C", userPool: "P" };

describe("assertRouteIsSafe", () => {
  it("refuses ANY, $default, relative paths, odd handler modules and wildcard actions", () => {
    expect(() => assertRouteIsSafe({ ...health, method: "ANY" } as never)).toThrow(/method must be one of/);
    expect(() => assertRouteIsSafe({ ...health, path: "$default" })).toThrow(/absolute/);
    expect(() => assertRouteIsSafe({ ...health, path: "health" })).toThrow(/absolute/);
    expect(() => assertRouteIsSafe({ ...health, handler: "../x" })).toThrow(/bad handler module/);
    expect(() => assertRouteIsSafe({ ...health, permissions: { todos: ["dynamodb:*"] } } as never)).toThrow(/"dynamodb:\*" on todos/);
    expect(() =>
      assertRouteIsSafe({ ...health, permissions: { todos: ["dynamodb:Query"], idempotency: ["dynamodb:Get*"] } } as never),
    ).toThrow(/dynamodb:Get\* on idempotency|"dynamodb:Get\*" on idempotency/);
    expect(() => assertRouteIsSafe(health)).not.toThrow();
  });
});

describe("functionPermissions", () => {
  it("grants each listed table exactly its actions, on its ARN only", () => {
    expect(
      functionPermissions(
        { ...health, permissions: { todos: ["dynamodb:Query"], idempotency: ["dynamodb:GetItem", "dynamodb:PutItem"], rateLimits: RATE_LIMIT } },
        arns,
      ),
    ).toEqual([
      { actions: ["dynamodb:Query"], resources: ["T"] },
      { actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: ["I"] },
      { actions: ["dynamodb:UpdateItem"], resources: ["R"] },
    ]);
  });

  it("grants nothing on a table the route lists without actions, or does not list", () => {
    expect(functionPermissions({ ...health, permissions: { todos: ["dynamodb:Query"], idempotency: [], rateLimits: [] } }, arns)).toEqual([
      { actions: ["dynamodb:Query"], resources: ["T"] },
    ]);
  });

  it("refuses a table key it has no ARN for, instead of granting on nothing", () => {
    expect(() => functionPermissions({ ...health, permissions: { archive: ["dynamodb:UpdateItem"] } } as never, arns)).toThrow(
      /"archive", which infra\/api.ts has no ARN for/,
    );
  });
});
