import { describe, expect, it } from "vitest";
import { resolveSiteOrigin, VITE_DEV_ORIGIN } from "../site-origin";

describe("resolveSiteOrigin", () => {
  it("uses the base domain for production and a subdomain per other stage", () => {
    expect(resolveSiteOrigin({ stage: "production", dev: false, baseDomain: "tasks.example.com" })).toEqual({
      domain: "tasks.example.com",
      origins: ["https://tasks.example.com"],
    });
    expect(resolveSiteOrigin({ stage: "staging", dev: false, baseDomain: "tasks.example.com" })).toEqual({
      domain: "staging.tasks.example.com",
      origins: ["https://staging.tasks.example.com"],
    });
  });

  it("uses the Vite dev server under sst dev, whatever else is set", () => {
    expect(resolveSiteOrigin({ stage: "alice", dev: true, baseDomain: "x.com", explicitOrigin: "https://y.com" })).toEqual({
      origins: [VITE_DEV_ORIGIN],
    });
  });

  it("accepts an explicit https origin and strips any path", () => {
    expect(resolveSiteOrigin({ stage: "dev", dev: false, explicitOrigin: "https://d1.cloudfront.net/index.html" })).toEqual({
      origins: ["https://d1.cloudfront.net"],
    });
    expect(() => resolveSiteOrigin({ stage: "dev", dev: false, explicitOrigin: "http://d1.cloudfront.net" })).toThrow(/https/);
  });

  it("never answers * and refuses production without an origin", () => {
    expect(resolveSiteOrigin({ stage: "dev", dev: false }).origins).toEqual([VITE_DEV_ORIGIN]);
    expect(() => resolveSiteOrigin({ stage: "production", dev: false, baseDomain: "  " })).toThrow(/TASKS_DOMAIN/);
  });
});
