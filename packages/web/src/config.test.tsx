import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./ConfigError";
import { loadConfig } from "./config";

const complete = {
  VITE_USER_POOL_ID: "eu-west-1_abc",
  VITE_USER_POOL_CLIENT_ID: "client",
  VITE_API_URL: "https://api.example.com/",
  VITE_REGION: "eu-west-1",
};

describe("configuration from VITE_* variables", () => {
  it("reads a deployed configuration: no Cognito endpoint, API URL without trailing slash", () => {
    expect(loadConfig(complete)).toEqual({
      ok: true,
      config: { userPoolId: "eu-west-1_abc", userPoolClientId: "client", apiUrl: "https://api.example.com", region: "eu-west-1" },
    });
  });

  it("reads the offline stack's Cognito endpoint", () => {
    const result = loadConfig({ ...complete, VITE_COGNITO_ENDPOINT: "http://localhost:9229" });
    expect(result.ok && result.config.cognitoEndpoint).toBe("http://localhost:9229");
  });

  it("names every missing or invalid variable, and the screen shows them", () => {
    const result = loadConfig({ VITE_USER_POOL_ID: "x", VITE_API_URL: "not a url", VITE_REGION: " " });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.variable).sort()).toEqual(["VITE_API_URL", "VITE_REGION", "VITE_USER_POOL_CLIENT_ID"]);
    render(<ConfigError problems={result.problems} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("VITE_USER_POOL_CLIENT_ID: VITE_USER_POOL_CLIENT_ID is not set");
    expect(alert.textContent).toContain("VITE_API_URL: VITE_API_URL must be an http(s) URL");
  });
});
