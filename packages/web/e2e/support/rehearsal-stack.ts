/**
 * NOT the offline stack: a stand-in with the same start/stop interface, for rehearsing the browser
 * test while packages/local is being written. It serves the SPA with Vite and answers Cognito and
 * the API with the in-memory services the component tests use (src/test-support), over real HTTP.
 * Select it with TASKS_E2E_STACK_MODULE=<path of this file>; the default is @tasks/local/stack.
 */
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { getResponse } from "msw";
import { createServer as createViteServer } from "vite";
import { COGNITO_ENDPOINT, createCognitoService, USER_POOL_CLIENT_ID, USER_POOL_ID } from "../../src/test-support/cognito-service";
import { API_URL, createTasksApiService } from "../../src/test-support/tasks-api-service";

const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

async function readBody(request: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export async function startLocalStack() {
  const cognito = createCognitoService();
  const api = createTasksApiService();
  const handlers = [cognito.handler, ...api.handlers];

  const backend = createHttpServer(async (req, res) => {
    const cors = {
      "access-control-allow-origin": req.headers.origin ?? "*",
      "access-control-allow-headers": "*",
      "access-control-allow-methods": "GET,POST,PATCH,DELETE,OPTIONS",
      "access-control-expose-headers": "*",
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors).end();
      return;
    }
    const path = req.url ?? "/";
    const target = path.startsWith("/cognito") ? `${COGNITO_ENDPOINT}/` : `${API_URL}${path.replace(/^\/api/, "")}`;
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const response = await getResponse(handlers, new Request(target, { method: req.method, headers, body }));
    if (!response) {
      res.writeHead(404, cors).end();
      return;
    }
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...cors });
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((done) => backend.listen(0, "127.0.0.1", done));
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;

  Object.assign(process.env, {
    VITE_USER_POOL_ID: USER_POOL_ID,
    VITE_USER_POOL_CLIENT_ID: USER_POOL_CLIENT_ID,
    VITE_API_URL: `${backendUrl}/api`,
    VITE_REGION: "us-east-1",
    VITE_COGNITO_ENDPOINT: `${backendUrl}/cognito`,
  });
  const vite = await createViteServer({
    root: webRoot,
    configFile: resolve(webRoot, "vite.config.ts"),
    logLevel: "warn",
    server: { host: "127.0.0.1", port: 0 },
  });
  await vite.listen();
  const webUrl = vite.resolvedUrls?.local[0] ?? "";

  return {
    webUrl,
    apiUrl: `${backendUrl}/api`,
    confirmationCode: (email: string) => cognito.user(email)?.code,
    async stop() {
      await vite.close();
      await new Promise((done) => backend.close(done));
    },
  };
}
