/**
 * Pulumi unit-test mocks standing in for the AWS provider: they give each resource the
 * attributes AWS would assign (id, ARN, name, endpoints) and answer the data sources SST's
 * components read (partition, region, account, IAM policy documents). Nothing here decides
 * what is created or with which settings — SST's components and infra/*.ts do.
 */
import { createHash } from "node:crypto";
import type { runtime } from "@pulumi/pulumi";

export const MOCK_ACCOUNT = "123456789012";

export interface MockedInvoke {
  token: string;
  inputs: unknown;
}

/** What AWS would call a resource, derived from its logical name so that runs are comparable. */
function stableId(seed: string, length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"): string {
  const digest = createHash("sha256").update(seed).digest();
  return Array.from(digest.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join("");
}

/** "aws:dynamodb/table:Table" -> ["dynamodb", "Table"] */
function parseToken(type: string): { module: string; resource: string } {
  const match = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type);
  return match ? { module: match[1]!, resource: match[2]! } : { module: "", resource: "" };
}

/** Pulumi's auto-name: the logical name plus a random suffix (here a stable one). */
function autoName(name: string): string {
  return `${name}-${stableId(name, 7, "0123456789abcdef")}`;
}

type State = Record<string, unknown>;

function computedState(type: string, name: string, inputs: State, region: string): { id: string; state: State } {
  const { module, resource } = parseToken(type);
  const account = MOCK_ACCOUNT;
  const named = (inputs.name as string | undefined) ?? autoName(name);
  switch (type) {
    case "aws:dynamodb/table:Table":
      return {
        id: named,
        state: {
          name: named,
          arn: `arn:aws:dynamodb:${region}:${account}:table/${named}`,
          ...(inputs.streamEnabled ? { streamArn: `arn:aws:dynamodb:${region}:${account}:table/${named}/stream/2026-01-01T00:00:00.000` } : {}),
        },
      };
    case "aws:iam/role:Role":
      return { id: named, state: { name: named, arn: `arn:aws:iam::${account}:role/${named}`, uniqueId: stableId(name, 21).toUpperCase() } };
    case "aws:iam/policy:Policy":
      return { id: `arn:aws:iam::${account}:policy/${named}`, state: { name: named, arn: `arn:aws:iam::${account}:policy/${named}` } };
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${region}:${account}:function:${named}`;
      return {
        id: named,
        state: {
          name: named,
          arn,
          qualifiedArn: `${arn}:1`,
          version: "1",
          invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
        },
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup":
      return { id: named, state: { name: named, arn: `arn:aws:logs:${region}:${account}:log-group:${named}` } };
    case "aws:sns/topic:Topic": {
      const arn = `arn:aws:sns:${region}:${account}:${named}`;
      return { id: arn, state: { name: named, arn } };
    }
    case "aws:cognito/userPool:UserPool": {
      const id = `${region}_${stableId(name, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}`;
      return {
        id,
        state: { name: named, arn: `arn:aws:cognito-idp:${region}:${account}:userpool/${id}`, endpoint: `cognito-idp.${region}.amazonaws.com/${id}` },
      };
    }
    case "aws:cognito/userPoolClient:UserPoolClient":
      return { id: stableId(name, 26), state: { name: named } };
    case "aws:apigatewayv2/api:Api": {
      const id = stableId(name, 10);
      return {
        id,
        state: {
          name: named,
          arn: `arn:aws:apigateway:${region}::/apis/${id}`,
          // As AWS answers: wss:// for a WebSocket API.
          apiEndpoint: `${inputs.protocolType === "WEBSOCKET" ? "wss" : "https"}://${id}.execute-api.${region}.amazonaws.com`,
          executionArn: `arn:aws:execute-api:${region}:${account}:${id}`,
        },
      };
    }
    case "aws:cloudfront/distribution:Distribution": {
      const id = `E${stableId(name, 13, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}`;
      return {
        id,
        state: {
          arn: `arn:aws:cloudfront::${account}:distribution/${id}`,
          domainName: `d${stableId(name, 13)}.cloudfront.net`,
          hostedZoneId: "Z2FDTNDATAQYW2",
          etag: "E1",
          status: "Deployed",
        },
      };
    }
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = (inputs.bucket as string | undefined) ?? autoName(name).toLowerCase();
      return {
        id: bucket,
        state: {
          bucket,
          arn: `arn:aws:s3:::${bucket}`,
          bucketDomainName: `${bucket}.s3.amazonaws.com`,
          bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
          region,
        },
      };
    }
    case "aws:acm/certificate:Certificate": {
      const domains = [inputs.domainName as string, ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
      return {
        id: `arn:aws:acm:${region}:${account}:certificate/${stableId(name, 36)}`,
        state: {
          arn: `arn:aws:acm:${region}:${account}:certificate/${stableId(name, 36)}`,
          domainValidationOptions: domains.map((domain) => ({
            domainName: domain,
            resourceRecordName: `_${stableId(domain, 32)}.${domain}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${stableId(domain, 32, "abcdef0123456789")}.acm-validations.aws.`,
          })),
        },
      };
    }
    case "aws:acm/certificateValidation:CertificateValidation":
      return { id: String(inputs.certificateArn), state: {} };
    case "pulumi-nodejs:dynamic:Resource":
      return dynamicResource(name);
    default: {
      const id = `${name}-id`;
      const arn = module ? `arn:aws:${module}:${region}:${account}:${resource.toLowerCase()}/${named}` : undefined;
      return { id, state: { ...(arn ? { arn } : {}), ...(module ? { name: named } : {}) } };
    }
  }
}

/**
 * SST's own resources (`pulumi-nodejs:dynamic:Resource`, named `<name>.sst.aws.<Kind>`) are
 * implemented by the CLI (rpc.Provider); these are the attributes SST reads back from them.
 */
function dynamicResource(name: string): { id: string; state: State } {
  const kind = name.slice(name.lastIndexOf(".") + 1);
  switch (kind) {
    case "HostedZoneLookup":
      return { id: name, state: { zoneId: `Z${stableId(name, 13, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}` } };
    case "DistributionDeploymentWaiter":
      return { id: name, state: { isDone: true } };
    default:
      return { id: name, state: {} };
  }
}

/** Renders `aws.iam.getPolicyDocument` inputs as the provider does: IAM's JSON grammar. */
export function policyDocumentJson(inputs: { version?: string; statements?: PolicyStatementInput[] }): string {
  const one = <T>(values: T[]): T | T[] => (values.length === 1 ? values[0]! : values);
  const principals = (list: { type: string; identifiers: string[] }[] | undefined) =>
    list && list.length > 0
      ? Object.fromEntries(
          Object.entries(
            list.reduce<Record<string, string[]>>((acc, p) => ({ ...acc, [p.type]: [...(acc[p.type] ?? []), ...p.identifiers] }), {}),
          ).map(([type, ids]) => [type, type === "*" ? "*" : one(ids)]),
        )
      : undefined;
  const statements = (inputs.statements ?? []).map((s) => {
    const statement: Record<string, unknown> = {};
    if (s.sid) statement.Sid = s.sid;
    statement.Effect = s.effect ?? "Allow";
    if (s.actions?.length) statement.Action = one(s.actions);
    if (s.notActions?.length) statement.NotAction = one(s.notActions);
    if (s.resources?.length) statement.Resource = one(s.resources);
    if (s.notResources?.length) statement.NotResource = one(s.notResources);
    const principal = principals(s.principals);
    if (principal) statement.Principal = principal;
    const notPrincipal = principals(s.notPrincipals);
    if (notPrincipal) statement.NotPrincipal = notPrincipal;
    if (s.conditions?.length) {
      statement.Condition = s.conditions.reduce<Record<string, Record<string, unknown>>>(
        (acc, c) => ({ ...acc, [c.test]: { ...acc[c.test], [c.variable]: one(c.values) } }),
        {},
      );
    }
    return statement;
  });
  return JSON.stringify({ Version: inputs.version ?? "2012-10-17", Statement: statements });
}

interface PolicyStatementInput {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  notPrincipals?: { type: string; identifiers: string[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** The mocks, and every data-source call the program made that they do not model. */
export function awsMocks(region: string): { mocks: runtime.Mocks; unmodelledInvokes: MockedInvoke[] } {
  const unmodelledInvokes: MockedInvoke[] = [];
  const mocks: runtime.Mocks = {
    newResource({ type, name, inputs, id }) {
      if (type.startsWith("pulumi:providers:")) return { id: `${name}-provider`, state: inputs };
      const computed = computedState(type, name, inputs as State, region);
      // An import id (empty unless importing) names an existing resource.
      return { id: id || computed.id, state: { ...(inputs as State), ...computed.state } };
    },
    call({ token, inputs }) {
      switch (token) {
        case "aws:index/getPartition:getPartition":
          return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
        case "aws:index/getRegion:getRegion":
          return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getCallerIdentity:getCallerIdentity":
          return { id: MOCK_ACCOUNT, accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/deployer`, userId: "AIDAMOCK" };
        case "aws:iam/getPolicyDocument:getPolicyDocument": {
          const json = policyDocumentJson(inputs as { statements?: PolicyStatementInput[] });
          return { id: stableId(json, 10), json, minifiedJson: json, ...(inputs as State) };
        }
        default:
          unmodelledInvokes.push({ token, inputs });
          return {};
      }
    },
  };
  return { mocks, unmodelledInvokes };
}
