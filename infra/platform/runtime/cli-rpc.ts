/**
 * A stand-in for the sst CLI's RPC server (SST_SERVER), the one channel through which SST's
 * components reach the CLI. The real CLI bootstraps per-region asset buckets in the account and
 * builds each function with esbuild; offline there is no account, and a build proves nothing
 * about the infrastructure, so these answers are placeholders. Every call is recorded.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { MOCK_ACCOUNT } from "./aws-mocks";

export interface RpcCall {
  method: string;
  args: Record<string, unknown>;
}

export interface CliRpc {
  url: string;
  calls: RpcCall[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `workDir` plays `.sst`: function "builds" are written under its artifacts/ folder. */
export async function startCliRpc(workDir: string): Promise<CliRpc> {
  const calls: RpcCall[] = [];
  const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
    "Provider.Aws.Bootstrap": ({ region }) => ({
      asset: `sst-asset-mock-${region}`,
      assetEcrRegistryId: MOCK_ACCOUNT,
      assetEcrUrl: `${MOCK_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/sst-asset`,
      state: `sst-state-mock-${region}`,
      appsyncHttp: `mock.appsync-api.${region}.amazonaws.com`,
      appsyncRealtime: `mock.appsync-realtime-api.${region}.amazonaws.com`,
    }),
    "Provider.Aws.Appsync": () => ({ http: "mock.appsync-api.amazonaws.com", realtime: "mock.appsync-realtime-api.amazonaws.com" }),
    // The CLI would bundle the handler; a one-line module keeps SST's zip step real.
    "Runtime.Build": ({ functionID, handler }) => {
      const out = join(workDir, "artifacts", `${String(functionID)}-src`);
      const handlerPath = String(handler);
      const file = join(out, `${handlerPath.slice(0, handlerPath.lastIndexOf("."))}.mjs`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, "// not built: offline evaluation of sst.config.ts\nexport const handler = () => {};\n");
      return { handler: handlerPath, out, errors: [], sourcemaps: [] };
    },
    "Runtime.AddTarget": () => ({}),
  };

  const server = createServer(async (request, response) => {
    let id: unknown = null;
    try {
      const body = JSON.parse(await readBody(request)) as { id?: unknown; method: string; params: [Record<string, unknown>] };
      id = body.id ?? null;
      const args = body.params[0] ?? {};
      calls.push({ method: body.method, args });
      const handler = handlers[body.method];
      const answer = handler
        ? { id, result: handler(args), error: null }
        : { id, result: null, error: `rpc: can't find method ${body.method}` };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    } catch (error) {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id, result: null, error: String(error) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
