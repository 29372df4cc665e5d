/**
 * `pnpm infra:plan [--stage <name>] [--dev]`: what `sst deploy --stage <name>` would create,
 * printed offline from the same evaluation the infra tests use (evaluate.ts): resources by type,
 * the public surface (site, API routes and their auth, CORS origins, sign-in), each function's
 * permissions, what production keeps, and where alarms go. Reads TASKS_DOMAIN, SITE_ORIGIN,
 * ALARM_EMAIL and TASKS_REGION from the shell, as a deploy would. No AWS account: ids and ARNs
 * are placeholders the mocks made up.
 */
import { parseArgs } from "node:util";
import { DeployedStack, inlinePolicies, list, trustedPrincipals } from "./deployed-stack";
import { sstVersion } from "./ensure-platform";
import { evaluate } from "./evaluate";

const { values } = parseArgs({
  options: { stage: { type: "string", default: "dev" }, dev: { type: "boolean", default: false }, help: { type: "boolean", default: false } },
});
if (values.help) {
  console.log("pnpm infra:plan [--stage <name>] [--dev]   (--dev: what `sst dev` deploys)");
  process.exit(0);
}

let deployed: DeployedStack;
try {
  deployed = new DeployedStack(await evaluate({ stage: values.stage, dev: values.dev, log: (line) => console.error(line) }));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const { app } = deployed.evaluation;
const out: string[] = [];
const line = (text = "") => out.push(text);
const section = (title: string) => line(`\n${title}`);

line(`Plan for stage "${app.stage}"${deployed.evaluation.dev ? " under sst dev" : ""}: app ${app.name}, region ${String(app.providers.aws?.region)}`);
line(`(SST ${sstVersion()} components evaluated offline under Pulumi mocks: ids and ARNs below are placeholders)`);

section("Public surface");
const api = deployed.httpApi();
const distributions = deployed.ofType("aws:cloudfront/distribution:Distribution");
line(`  site          ${String(deployed.outputs.siteUrl)}${distributions.length === 0 ? "  (not deployed: Vite dev server)" : ""}`);
for (const distribution of distributions) {
  const behavior = distribution.inputs.defaultCacheBehavior;
  const headers = deployed.resources.find((r) => r.id === behavior.responseHeadersPolicyId);
  line(`                CloudFront ${behavior.viewerProtocolPolicy}, response headers policy ${headers?.name ?? behavior.responseHeadersPolicyId ?? "none"}`);
}
line(`  API           ${String(api.state.apiEndpoint)}`);
line(`  CORS origins  ${list(api.inputs.corsConfiguration?.allowOrigins).join(", ") || "none"}`);
const authorizers = new Map(deployed.ofType("aws:apigatewayv2/authorizer:Authorizer").map((a) => [a.id, a]));
const stage = deployed.oneOfApi(api, "aws:apigatewayv2/stage:Stage").inputs.defaultRouteSettings ?? {};
line(`  throttling    ${stage.throttlingRateLimit ?? "-"} requests/s, burst ${stage.throttlingBurstLimit ?? "-"} (per route)`);
line("  routes");
for (const route of [...deployed.routes()].sort((a, b) => a.routeKey.localeCompare(b.routeKey))) {
  const authorizer = authorizers.get(route.route.inputs.authorizerId);
  const jwt = authorizer?.inputs.jwtConfiguration;
  const auth =
    route.route.inputs.authorizationType === "JWT" && jwt
      ? `JWT: issuer ${jwt.issuer}, audience ${list(jwt.audiences).join(", ")}`
      : `${route.route.inputs.authorizationType ?? "NONE"} (no authorizer)`;
  line(`    ${route.routeKey.padEnd(22)} ${auth}`);
}
const ws = deployed.ofType("sst:aws:ApiGatewayWebSocket").length > 0 ? deployed.webSocketApi() : undefined;
if (ws) {
  line(`  live          ${String(deployed.outputs.wsUrl)}  (WebSocket; @connections for the fan-out)`);
  for (const component of deployed.ofType("sst:aws:ApiGatewayWebSocketRoute")) {
    const route = deployed.oneWithin(component, "aws:apigatewayv2/route:Route").inputs;
    const authorizer = authorizers.get(route.authorizerId)?.inputs;
    const auth = authorizer
      ? `${route.authorizationType}: Lambda ${authorizer.authorizerType} authorizer, identity ${list(authorizer.identitySources).join(", ")}`
      : `${route.authorizationType ?? "NONE"}`;
    line(`    ${String(route.routeKey).padEnd(22)} ${auth}`);
  }
  for (const mapping of deployed.ofType("aws:lambda/eventSourceMapping:EventSourceMapping")) {
    const filters = list(mapping.inputs.filterCriteria?.filters as { pattern: string }[] | undefined).map((f) => f.pattern);
    line(`  stream        ${mapping.inputs.eventSourceArn} -> ${mapping.inputs.functionName}`);
    line(`                batch ${mapping.inputs.batchSize}, ${list(mapping.inputs.functionResponseTypes).join(", ") || "whole-batch retries"}, retries ${mapping.inputs.maximumRetryAttempts}, filter ${filters.join(" | ") || "none"}`);
  }
}
for (const pool of deployed.ofType("aws:cognito/userPool:UserPool")) {
  line(`  sign-in       Cognito user pool ${pool.name}: usernames ${list(pool.inputs.usernameAttributes).join(", ")}, deletion protection ${pool.inputs.deletionProtection}`);
}
for (const client of deployed.ofType("aws:cognito/userPoolClient:UserPoolClient")) {
  line(`                client ${client.name}: ${list(client.inputs.explicitAuthFlows).join(", ")}; secret ${client.inputs.generateSecret ? "yes" : "no"}`);
}

section("Functions and their permissions");
const arnNames = new Map(deployed.resources.filter((r) => r.state.arn).map((r) => [String(r.state.arn), `${r.type.split(":").pop()} ${r.name}`]));
for (const route of [...deployed.routes()].sort((a, b) => a.routeKey.localeCompare(b.routeKey))) {
  const fn = route.fn.inputs;
  line(`  ${route.routeKey}  ->  ${fn.handler}  (${fn.runtime}, ${list(fn.architectures).join("/")}, ${fn.memorySize} MB, ${fn.timeout} s, logs ${route.logGroup.inputs.retentionInDays} days)`);
  line(`      assumed by  ${trustedPrincipals(route.role).join(", ")}`);
  for (const statement of inlinePolicies(route.role).flatMap((document) => document.Statement)) {
    const resources = list(statement.Resource).map((arn) => arnNames.get(arn) ?? arn);
    line(`      ${statement.Effect.padEnd(5)} ${list(statement.Action).join(", ")}  on  ${resources.join(", ")}`);
  }
  for (const managed of list(route.role.inputs.managedPolicyArns as string[] | undefined)) line(`      managed ${managed.split("/").pop()}`);
}
// The live functions: the $connect authorizer, the WebSocket routes' handlers, the fan-out.
const routeFunctions = new Set(deployed.routes().map((route) => route.fn.urn));
for (const fn of deployed.ofType("aws:lambda/function:Function").filter((f) => !routeFunctions.has(f.urn))) {
  const component = deployed.componentOf(fn);
  const role = component ? deployed.within(component, "aws:iam/role:Role")[0] : undefined;
  line(`  ${fn.name}  ->  ${fn.inputs.handler}  (${fn.inputs.runtime}, ${fn.inputs.memorySize} MB, ${fn.inputs.timeout} s)`);
  if (!role) continue;
  line(`      assumed by  ${trustedPrincipals(role).join(", ")}`);
  for (const statement of inlinePolicies(role).flatMap((document) => document.Statement)) {
    const resources = list(statement.Resource).map((arn) => arnNames.get(arn) ?? arn);
    line(`      ${statement.Effect.padEnd(5)} ${list(statement.Action).join(", ")}  on  ${resources.join(", ")}`);
  }
}

section(`Resources (${deployed.resources.filter((r) => r.custom).length} cloud resources)`);
const counts = new Map<string, number>();
for (const resource of deployed.resources.filter((r) => r.custom)) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
for (const [type, count] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) line(`  ${String(count).padStart(3)}  ${type}`);

section("Keeping data");
line(`  removal ${app.removal}, protect ${app.protect}${app.protect ? " (sst remove refuses this stage)" : ""}`);
const kept = (pick: (r: (typeof deployed.resources)[number]) => boolean) =>
  deployed.resources.filter((r) => r.custom && pick(r)).map((r) => r.name).join(", ") || "none";
line(`  protected from replacement or deletion: ${kept((r) => r.protect)}`);
line(`  retained by sst remove: ${kept((r) => r.retainOnDelete)}`);

section("Alarms");
const topics = deployed.ofType("aws:sns/topic:Topic");
const subscriptions = deployed.ofType("aws:sns/topicSubscription:TopicSubscription");
line(`  ${deployed.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length} alarms to SNS ${topics.map((t) => t.name).join(", ")}; ${subscriptions.map((s) => `${s.inputs.protocol} ${s.inputs.endpoint}`).join(", ") || "no subscription (set ALARM_EMAIL)"}`);

console.log(out.join("\n"));
