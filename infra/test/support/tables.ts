import type { DeployedStack } from "../../platform/deployed-stack";

/** The DynamoDB table of the `sst.aws.Dynamo` component of that name (several tables share a key name). */
export function tableOf(deployed: DeployedStack, component: string) {
  return deployed.oneWithin(deployed.one("sst:aws:Dynamo", component), "aws:dynamodb/table:Table");
}
