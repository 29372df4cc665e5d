/**
 * Runs one bundled sst.config.ts program (see ../evaluate.ts) the way Pulumi's Node language host
 * runs `sst deploy`'s program — inside a root stack — with Pulumi's unit-test mocks as the engine
 * and the AWS provider, and a stand-in for the CLI's RPC server. Bundled by esbuild into
 * .sst/platform/, so `@pulumi/pulumi` is the platform's own copy, as in a deploy.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { awsMocks } from "./aws-mocks";
import { startCliRpc } from "./cli-rpc";
import type { RecordedResource, Recording, RunnerInput } from "./recording";

const input = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as RunnerInput;

// The CLI passes each provider setting to Pulumi as config (`--config aws:region=...`).
process.env.PULUMI_CONFIG = JSON.stringify(
  Object.fromEntries(
    Object.entries(input.app.providers).flatMap(([provider, settings]) =>
      Object.entries(settings)
        .filter(([key]) => key !== "package" && key !== "version")
        .map(([key, value]) => [`${provider}:${key}`, typeof value === "string" ? value : JSON.stringify(value)]),
    ),
  ),
);

const pulumi = await import("@pulumi/pulumi");
const region = String(input.app.providers.aws?.region ?? "us-east-1");

const rpc = await startCliRpc(input.cli.paths.work);
process.env.SST_SERVER = rpc.url;

const { mocks, unmodelledInvokes } = awsMocks(region);
await pulumi.runtime.setMocks(mocks, input.app.name, input.app.stage, false);

// The mocks see a resource's type, name and inputs; its parent and options (protect,
// retainOnDelete) are in the registration request, so record from there.
const resources: RecordedResource[] = [];
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getObject(): unknown;
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
const monitor = (pulumi.runtime as unknown as { getMonitor(): any }).getMonitor();
const registerResource = monitor.registerResource.bind(monitor);
monitor.registerResource = async (request: RegisterRequest, callback: (error: unknown, response?: RegisterResponse) => void) => {
  const inputs = await pulumi.runtime.deserializeProperties(request.getObject() as never);
  return registerResource(request, (error: unknown, response?: RegisterResponse) => {
    if (!error && response) {
      resources.push({
        urn: response.getUrn(),
        id: response.getId(),
        type: request.getType(),
        name: request.getName(),
        parent: request.getParent(),
        custom: request.getCustom(),
        inputs: plain(inputs) as Record<string, any>,
        state: plain(response.getObject()?.toJavaScript() ?? {}) as Record<string, any>,
        protect: request.getProtect(),
        retainOnDelete: request.getRetainondelete(),
      });
    }
    callback(error, response);
  });
};

let failure: unknown;
let outputs: Record<string, unknown> = {};
try {
  outputs = (await pulumi.runtime.runInPulumiStack(async () => {
    const program = (await import(pathToFileURL(input.bundle).href)) as { default: Promise<Record<string, unknown>> };
    return program.default;
  })) as Record<string, unknown>;
  await pulumi.runtime.disconnect();
} catch (error) {
  failure = error;
}
await rpc.close();

const recording: Recording = {
  outputs: plain(outputs) as Record<string, unknown>,
  resources,
  rpcCalls: plain(rpc.calls) as Recording["rpcCalls"],
  unmodelledInvokes: plain(unmodelledInvokes) as Recording["unmodelledInvokes"],
};
writeFileSync(input.result, JSON.stringify(failure ? { error: describe(failure) } : recording));
process.exit(failure ? 1 : 0);

/** JSON-safe copy: assets and archives become their paths, cycles are cut. */
function plain(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" ? undefined : value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => plain(item, seen));
  const record = value as Record<string, unknown>;
  if (typeof record.path === "string" && (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value))) {
    return { path: record.path };
  }
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, plain(item, seen)]));
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
