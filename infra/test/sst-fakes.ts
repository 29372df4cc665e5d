/**
 * Recording fakes of the SST globals, so that sst.config.ts and infra/*.ts run under vitest
 * without the sst CLI (it downloads its engine, which cannot happen offline).
 *
 * Every `new sst.aws.X(name, args)`, method call (addClient, addAuthorizer, route) and
 * `new aws.<ns>.<Resource>(name, args)` is appended to `records`. Outputs are `FakeOutput`s that
 * hold a made-up value and support `.apply`, like Pulumi's. Functions created by `api.route`
 * pass through `$transform(sst.aws.Function, …)` callbacks, as the real component does.
 */
import { vi } from "vitest";

export class FakeOutput<T> {
  constructor(readonly value: T) {}
  apply<U>(fn: (value: T) => U): FakeOutput<Unwrapped<U>> {
    return toOutput(fn(this.value)) as FakeOutput<Unwrapped<U>>;
  }
}
type Unwrapped<U> = U extends FakeOutput<infer V> ? V : U;

function toOutput<T>(value: T | FakeOutput<T>): FakeOutput<T> {
  return value instanceof FakeOutput ? value : new FakeOutput(value);
}

/** Replaces every FakeOutput (deeply) by its value; functions are kept as they are. */
export function resolve(value: unknown): any {
  if (value instanceof FakeOutput) return resolve(value.value);
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}

export interface RecordEntry {
  type: string;
  name: string;
  args: any;
  /** Set for method calls: the component the method was called on. */
  parent?: string;
}

export const FAKE_ACCOUNT = "123456789012";

export interface FakeEnvironment {
  records: RecordEntry[];
  /** `$transform` callbacks by component type, e.g. "sst.aws.Function". */
  transforms: Map<string, ((args: any, opts: any) => void)[]>;
  of(type: string): RecordEntry[];
  one(type: string, name?: string): RecordEntry;
}

export function installSstFakes(app: { stage: string; region: string; dev?: boolean }): FakeEnvironment {
  const records: RecordEntry[] = [];
  const transforms = new Map<string, ((args: any, opts: any) => void)[]>();
  const { stage, region } = app;

  const record = (type: string, name: string, args: any, parent?: string) => {
    records.push({ type, name, args, ...(parent ? { parent } : {}) });
  };

  /** A component class: applies registered $transform callbacks, records, exposes outputs. */
  function component<Extra extends object>(
    type: string,
    outputs: (name: string, args: any) => Extra,
  ) {
    const Fake = class {
      constructor(name: string, args: any = {}, opts: any = {}) {
        for (const cb of transforms.get(type) ?? []) cb(args, opts);
        record(type, name, args);
        Object.assign(this, outputs.call(this, name, args));
      }
    };
    Object.defineProperty(Fake, "fakeType", { value: type });
    return Fake as unknown as new (name: string, args?: any, opts?: any) => Extra;
  }

  const Function = component("sst.aws.Function", (name) => ({
    name: new FakeOutput(`tasks-${stage}-${name}`),
    arn: new FakeOutput(`arn:aws:lambda:${region}:${FAKE_ACCOUNT}:function:tasks-${stage}-${name}`),
  }));

  const Dynamo = component("sst.aws.Dynamo", (name) => ({
    name: new FakeOutput(`tasks-${stage}-${name}Table`),
    arn: new FakeOutput(`arn:aws:dynamodb:${region}:${FAKE_ACCOUNT}:table/tasks-${stage}-${name}Table`),
  }));

  const CognitoUserPool = component("sst.aws.CognitoUserPool", (poolName) => ({
    id: new FakeOutput(`${region}_${poolName}Id`),
    arn: new FakeOutput(`arn:aws:cognito-idp:${region}:${FAKE_ACCOUNT}:userpool/${region}_${poolName}Id`),
    addClient(name: string, args: any = {}) {
      record("sst.aws.CognitoUserPoolClient", name, args, poolName);
      return { id: new FakeOutput(`${name}ClientId`) };
    },
  }));

  const ApiGatewayV2 = component("sst.aws.ApiGatewayV2", (apiName) => ({
    url: new FakeOutput(`https://${apiName.toLowerCase()}id.execute-api.${region}.amazonaws.com`),
    nodes: { api: { id: new FakeOutput(`${apiName.toLowerCase()}id`) } },
    addAuthorizer(args: any) {
      record("sst.aws.ApiGatewayV2Authorizer", args.name, args, apiName);
      return { id: new FakeOutput(`${args.name}AuthorizerId`) };
    },
    route(rawRoute: string, handler: any, args: any = {}) {
      record("sst.aws.ApiGatewayV2LambdaRoute", rawRoute, { handler, ...args }, apiName);
      // Like SST's functionBuilder: a handler given as args becomes an sst.aws.Function.
      const fn = new Function(`${apiName}Route${rawRoute.replace(/[^A-Za-z0-9]/g, "")}Handler`, handler);
      return { nodes: { function: new FakeOutput(fn) } };
    },
  }));

  const StaticSite = component("sst.aws.StaticSite", (_name, args) => ({
    url: new FakeOutput(args.domain ? `https://${resolve(args.domain)}` : "https://d111111abcdef8.cloudfront.net"),
  }));

  const SnsTopic = component("sst.aws.SnsTopic", (name) => ({
    arn: new FakeOutput(`arn:aws:sns:${region}:${FAKE_ACCOUNT}:tasks-${stage}-${name}`),
    name: new FakeOutput(`tasks-${stage}-${name}`),
  }));

  /** aws.<namespace>.<Resource>: any resource, recorded as "aws.<namespace>.<Resource>". */
  const awsNamespace = new Proxy(
    {},
    {
      get: (_target, namespace: string) =>
        new Proxy(
          {},
          {
            get: (_inner, resource: string) =>
              component(`aws.${namespace}.${resource}`, (name) => ({
                id: new FakeOutput(`${name}-id`),
                arn: new FakeOutput(`arn:aws:${namespace}:${region}:${FAKE_ACCOUNT}:${name}`),
                name: new FakeOutput(name),
              })),
          },
        ),
    },
  );

  const globals: Record<string, unknown> = {
    $config: (config: unknown) => config,
    $app: undefined,
    $dev: app.dev ?? false,
    $interpolate: (strings: TemplateStringsArray, ...values: unknown[]) =>
      new FakeOutput(strings.reduce((text, part, i) => text + part + (i < values.length ? String(resolve(values[i])) : ""), "")),
    $concat: (...parts: unknown[]) => new FakeOutput(parts.map((p) => String(resolve(p))).join("")),
    $resolve: (values: unknown) => new FakeOutput(resolve(values)),
    $output: (value: unknown) => toOutput(value),
    $jsonStringify: (value: unknown) => new FakeOutput(JSON.stringify(resolve(value))),
    $transform: (cls: { fakeType?: string }, cb: (args: any, opts: any) => void) => {
      if (!cls.fakeType) throw new Error("$transform on an unknown component");
      transforms.set(cls.fakeType, [...(transforms.get(cls.fakeType) ?? []), cb]);
    },
    sst: { aws: { Function, Dynamo, CognitoUserPool, ApiGatewayV2, StaticSite, SnsTopic } },
    aws: awsNamespace,
  };
  for (const [key, value] of Object.entries(globals)) vi.stubGlobal(key, value);

  return {
    records,
    transforms,
    of: (type) => records.filter((r) => r.type === type),
    one(type, name) {
      const found = records.filter((r) => r.type === type && (name === undefined || r.name === name));
      if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` "${name}"` : ""}, found ${found.length}`);
      return found[0]!;
    },
  };
}

export interface EvaluatedApp extends FakeEnvironment {
  app: any;
  outputs: any;
}

/**
 * Evaluates sst.config.ts like `sst deploy --stage <stage>` would: app() first, then $app from
 * its answer, then run(). Modules are re-imported on every call (vi.resetModules) so that each
 * stage sees fresh infra modules. `env` sets process.env entries for the duration of the call.
 */
export async function evaluateApp(
  stage: string,
  options: { env?: Record<string, string | undefined>; dev?: boolean } = {},
): Promise<EvaluatedApp> {
  vi.resetModules();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  for (const [key, value] of Object.entries({ TASKS_DOMAIN: undefined, SITE_ORIGIN: undefined, ALARM_EMAIL: undefined, TASKS_REGION: undefined, ...options.env })) {
    vi.stubEnv(key, value as string);
  }
  vi.stubGlobal("$config", (config: unknown) => config);
  const { default: config } = (await import("../../sst.config")) as { default: any };
  const app = config.app({ stage });
  const region = app.providers.aws.region;
  const fakes = installSstFakes({ stage, region, dev: options.dev ?? false });
  vi.stubGlobal("$app", { name: app.name, stage, removal: app.removal, protect: app.protect, providers: app.providers });
  const outputs = resolve(await config.run());
  return { ...fakes, app, outputs };
}
