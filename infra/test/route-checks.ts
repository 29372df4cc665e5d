/**
 * Compares what infra/api.ts registered (as recorded by the fakes) with a route table, and
 * lists every way the API would be weaker than the table says. Empty list = all good.
 */
import type { Route } from "../../packages/functions/src/routes";
import { resolve, type FakeEnvironment } from "./sst-fakes";

export function routeRegistrationProblems(
  env: Pick<FakeEnvironment, "of">,
  table: readonly Pick<Route, "method" | "path">[],
): string[] {
  const problems: string[] = [];
  const authorizerIds = env.of("sst.aws.ApiGatewayV2Authorizer").map((a) => `${a.name}AuthorizerId`);
  const registered = env.of("sst.aws.ApiGatewayV2LambdaRoute");
  const expected = new Set(table.map((r) => `${r.method} ${r.path}`));

  for (const entry of registered) {
    const auth = resolve(entry.args.auth);
    if (entry.name.startsWith("ANY ") || entry.name === "$default") problems.push(`${entry.name}: catch-all route`);
    if (!auth?.jwt?.authorizer) problems.push(`${entry.name}: no JWT authorizer`);
    else if (!authorizerIds.includes(auth.jwt.authorizer)) problems.push(`${entry.name}: unknown authorizer ${auth.jwt.authorizer}`);
    if (auth?.iam || auth?.lambda) problems.push(`${entry.name}: not the Cognito JWT authorizer`);
    if (!expected.has(entry.name)) problems.push(`${entry.name}: not in the route table`);
  }
  const names = registered.map((r) => r.name);
  for (const key of expected) {
    const count = names.filter((n) => n === key).length;
    if (count !== 1) problems.push(`${key}: registered ${count} times`);
  }
  return problems;
}
