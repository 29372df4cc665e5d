/**
 * The API reference page of the offline stack, served by the local gateway under
 * `/__local/api-reference/` (a path no API route can have; the Cognito proxy's local-only
 * endpoints live under `/__local/` too). Swagger UI renders docs/openapi.json: its bundle and
 * stylesheet are read from the swagger-ui-dist package in node_modules, and the spec from the
 * repository's docs/, on each request — nothing is fetched from the internet, so the page works
 * offline. It lists no `servers`, so "Try it out" calls this same gateway (paste an access token
 * under "Authorize").
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const API_REFERENCE_PATH = "/__local/api-reference/";

const SPEC = resolve(dirname(fileURLToPath(import.meta.url)), "../../../docs/openapi.json");
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Tasks API reference</title>
    <link rel="stylesheet" href="${API_REFERENCE_PATH}swagger-ui.css" />
  </head>
  <body>
    <main id="reference"></main>
    <script src="${API_REFERENCE_PATH}swagger-ui-bundle.js"></script>
    <script src="${API_REFERENCE_PATH}init.js"></script>
  </body>
</html>
`;

// validatorUrl: null — Swagger UI would otherwise send the spec to an online validator.
const INIT = `window.ui = SwaggerUIBundle({ url: "${API_REFERENCE_PATH}openapi.json", dom_id: "#reference", validatorUrl: null, deepLinking: true });\n`;

const FILES: Record<string, { type: string; body: () => Promise<Buffer | string> }> = {
  "": { type: "text/html; charset=utf-8", body: async () => PAGE },
  "init.js": { type: "text/javascript; charset=utf-8", body: async () => INIT },
  "openapi.json": { type: "application/json; charset=utf-8", body: () => readFile(SPEC) },
  "swagger-ui.css": { type: "text/css; charset=utf-8", body: () => readFile(join(SWAGGER_UI, "swagger-ui.css")) },
  "swagger-ui-bundle.js": { type: "text/javascript; charset=utf-8", body: () => readFile(join(SWAGGER_UI, "swagger-ui-bundle.js")) },
};

/** The page's file at `rawPath` (under API_REFERENCE_PATH), or undefined when there is none. */
export async function apiReferenceFile(rawPath: string): Promise<{ type: string; body: Buffer } | undefined> {
  const name = rawPath === API_REFERENCE_PATH.slice(0, -1) ? "" : rawPath.slice(API_REFERENCE_PATH.length);
  const file = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
  if (!file) return undefined;
  const body = await file.body();
  return { type: file.type, body: typeof body === "string" ? Buffer.from(body) : body };
}
