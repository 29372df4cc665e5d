/**
 * A read-only view of one evaluation (evaluate.ts) as a deployed stack: resources by type, what
 * each component created, each API route with the function, role and log group behind it, and
 * IAM documents parsed. Used by the infra tests and by `pnpm infra:plan`.
 */
import type { Evaluation, RecordedResource } from "./evaluate";

export interface IamStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: IamStatement[];
}

/** What one `api.route(...)` turned into. */
export interface DeployedRoute {
  routeKey: string;
  component: RecordedResource;
  route: RecordedResource;
  integration: RecordedResource;
  fn: RecordedResource;
  role: RecordedResource;
  logGroup: RecordedResource;
}

export const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export class DeployedStack {
  private readonly children = new Map<string, RecordedResource[]>();

  constructor(readonly evaluation: Evaluation) {
    for (const resource of evaluation.resources) {
      this.children.set(resource.parent, [...(this.children.get(resource.parent) ?? []), resource]);
    }
  }

  get stage(): string {
    return this.evaluation.stage;
  }

  get outputs(): Record<string, unknown> {
    return this.evaluation.outputs;
  }

  get resources(): RecordedResource[] {
    return this.evaluation.resources;
  }

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  /** The one resource of a type (and logical name, if given); throws otherwise. */
  one(type: string, name?: string): RecordedResource {
    const found = this.ofType(type).filter((resource) => name === undefined || resource.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0]!;
  }

  /** The HTTP API (infra/api.ts), as against the live WebSocket API (infra/realtime.ts). */
  httpApi(): RecordedResource {
    return this.oneWithin(this.one("sst:aws:ApiGatewayV2", "Api"), "aws:apigatewayv2/api:Api");
  }

  webSocketApi(): RecordedResource {
    return this.oneWithin(this.one("sst:aws:ApiGatewayWebSocket", "Live"), "aws:apigatewayv2/api:Api");
  }

  /** The one resource of a type that belongs to `api` (its `apiId`): its stage, authorizer, … */
  oneOfApi(api: RecordedResource, type: string): RecordedResource {
    const found = this.ofType(type).filter((resource) => resource.inputs.apiId === api.id);
    if (found.length !== 1) throw new Error(`expected one ${type} of API ${api.name}, found ${found.length}`);
    return found[0]!;
  }

  /** The DynamoDB table of an `sst.aws.Dynamo` component, by the component's name ("Todos", …). */
  table(componentName: string): RecordedResource {
    return this.oneWithin(this.one("sst:aws:Dynamo", componentName), "aws:dynamodb/table:Table");
  }

  /** Everything a resource created, at any depth. */
  descendants(resource: RecordedResource): RecordedResource[] {
    const direct = this.children.get(resource.urn) ?? [];
    return direct.flatMap((child) => [child, ...this.descendants(child)]);
  }

  within(resource: RecordedResource, type: string): RecordedResource[] {
    return this.descendants(resource).filter((child) => child.type === type);
  }

  oneWithin(resource: RecordedResource, type: string): RecordedResource {
    const found = this.within(resource, type);
    if (found.length !== 1) throw new Error(`expected one ${type} in ${resource.type} ${resource.name}, found ${found.length}`);
    return found[0]!;
  }

  /** The component (sst:*) a resource belongs to: the nearest ancestor that is one. */
  componentOf(resource: RecordedResource): RecordedResource | undefined {
    const byUrn = new Map(this.resources.map((r) => [r.urn, r]));
    for (let parent = byUrn.get(resource.parent); parent; parent = byUrn.get(parent.parent)) {
      if (parent.type.startsWith("sst:")) return parent;
    }
    return undefined;
  }

  routes(): DeployedRoute[] {
    return this.ofType("sst:aws:ApiGatewayV2LambdaRoute").map((component) => {
      const route = this.oneWithin(component, "aws:apigatewayv2/route:Route");
      const fnComponent = this.oneWithin(component, "sst:aws:Function");
      return {
        routeKey: String(route.inputs.routeKey),
        component,
        route,
        integration: this.oneWithin(component, "aws:apigatewayv2/integration:Integration"),
        fn: this.oneWithin(fnComponent, "aws:lambda/function:Function"),
        role: this.oneWithin(fnComponent, "aws:iam/role:Role"),
        logGroup: this.oneWithin(fnComponent, "aws:cloudwatch/logGroup:LogGroup"),
      };
    });
  }

  route(routeKey: string): DeployedRoute {
    const found = this.routes().filter((route) => route.routeKey === routeKey);
    if (found.length !== 1) throw new Error(`expected one route ${routeKey}, found ${found.length}`);
    return found[0]!;
  }
}

/** A role's inline policies, parsed. */
export function inlinePolicies(role: RecordedResource): PolicyDocument[] {
  return list(role.inputs.inlinePolicies as { policy: unknown }[] | undefined).map((p) => policyDocument(p.policy));
}

/** A policy input: IAM JSON, or the document object `@pulumi/aws` serialises to it on deploy. */
function policyDocument(value: unknown): PolicyDocument {
  return (typeof value === "string" ? JSON.parse(value) : value) as PolicyDocument;
}

export function trustPolicy(role: RecordedResource): PolicyDocument {
  return policyDocument(role.inputs.assumeRolePolicy);
}

/** Who may assume a role: "Service:lambda.amazonaws.com", "AWS:arn:aws:iam::…:root". */
export function trustedPrincipals(role: RecordedResource): string[] {
  return trustPolicy(role)
    .Statement.filter((statement) => statement.Effect === "Allow" && list(statement.Action).includes("sts:AssumeRole"))
    .flatMap((statement) => Object.entries(statement.Principal ?? {}).flatMap(([kind, ids]) => list(ids).map((id) => `${kind}:${id}`)))
    .sort();
}
