import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_TABLES, regenerate } from "../capacity-doc";
import { DESIGN_USERS, figuresAt, HEADROOM, QUOTAS, ROUTE_THROTTLE, USER_RATE_LIMIT, WORK } from "../capacity-model";

const DOC = join(import.meta.dirname, "../../docs/capacity.md");

describe("the capacity model", () => {
  it("is linear in users, so that a quota's break-even scale is a division", () => {
    const one = figuresAt(1_000);
    const hundred = figuresAt(100_000);
    expect(hundred.peakRps).toBeCloseTo(one.peakRps * 100, 6);
    expect(hundred.peakWriteUnitsPerSecond).toBeCloseTo(one.peakWriteUnitsPerSecond * 100, 6);
  });

  it("lets the modelled peak of the busiest route through each route's throttle, under the account's limit", () => {
    const design = figuresAt(DESIGN_USERS);
    // Real headroom over the modelled peak (the throttle is derived from it: a multiple above 1).
    expect(HEADROOM).toBeGreaterThan(1);
    expect(ROUTE_THROTTLE.rateLimit).toBeGreaterThanOrEqual(design.peakBusiestRouteRps * HEADROOM);
    expect(ROUTE_THROTTLE.rateLimit).toBeLessThanOrEqual(QUOTAS.apiGatewayAccountRps);
    expect(ROUTE_THROTTLE.burstLimit).toBeLessThanOrEqual(QUOTAS.apiGatewayAccountBurst);
  });

  it("keeps one user at their limit well inside their partition's write capacity", () => {
    const requestsPerSecond = USER_RATE_LIMIT.requests / USER_RATE_LIMIT.windowSeconds;
    const worstWriteUnits = requestsPerSecond * (6 + WORK.rateLimitUnitsPerRequest);
    expect(worstWriteUnits).toBeLessThan(QUOTAS.dynamoPartitionWcu / 10);
  });

  it("docs/capacity.md shows the model's current numbers (UPDATE_DOCS=1 rewrites it)", () => {
    if (process.env.UPDATE_DOCS === "1") writeFileSync(DOC, regenerate(readFileSync(DOC, "utf8")));
    const document = readFileSync(DOC, "utf8");
    for (const name of Object.keys(GENERATED_TABLES)) expect(document).toContain(`<!-- generated:${name} -->`);
    expect(document, "docs/capacity.md is stale: run `pnpm docs:capacity`").toBe(regenerate(document));
  });
});
