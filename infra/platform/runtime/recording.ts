/**
 * What one evaluation of sst.config.ts produced, as the Pulumi engine saw it: every resource
 * registration (type, name, parent, inputs, options), the stack outputs, and every call that left
 * the program (to the CLI's RPC server, and data sources the AWS mocks do not model).
 * Written by the runner as JSON and read by evaluate.ts, so it holds only plain data.
 */
export interface RecordedResource {
  urn: string;
  /** The id the (mocked) provider assigned; empty for components. */
  id: string;
  type: string;
  name: string;
  /** URN of the parent resource (components are parents of what they create). */
  parent: string;
  custom: boolean;
  /** The inputs as the engine received them, every Output resolved. */
  inputs: Record<string, any>;
  /** What the AWS mocks answered: the inputs plus ids, ARNs and endpoints AWS would assign. */
  state: Record<string, any>;
  protect: boolean;
  retainOnDelete: boolean;
}

export interface Recording {
  outputs: Record<string, any>;
  resources: RecordedResource[];
  rpcCalls: { method: string; args: Record<string, any> }[];
  unmodelledInvokes: { token: string; inputs: unknown }[];
}

/** The sst CLI's `$app` (pkg/project/project.go: the JSON of its App struct). */
export interface SstApp {
  name: string;
  stage: string;
  removal: "remove" | "retain" | "retain-all";
  protect: boolean;
  home: string;
  providers: Record<string, Record<string, unknown>>;
  version: string;
}

/** The sst CLI's `$cli` (pkg/project/stack.go). */
export interface SstCli {
  command: "deploy" | "diff" | "remove" | "refresh";
  dev: boolean;
  paths: { home: string; root: string; work: string; platform: string };
  state: { version: Record<string, number> };
}

/** What evaluate.ts hands the runner process. */
export interface RunnerInput {
  bundle: string;
  result: string;
  app: SstApp;
  cli: SstCli;
}
