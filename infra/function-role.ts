/**
 * Who may assume a function's role. Only Lambda — except under `sst dev`, where the handlers run
 * on the developer's machine with the role's credentials, so the account must be trusted too.
 *
 * SST 4.17.1 means to do exactly this, but picks the policy with `!dev` where `dev` is a Pulumi
 * Output (platform/src/components/aws/function.ts, createRole), which is always truthy: every
 * deploy, production included, gets the `sst dev` policy trusting `arn:aws:iam::<account>:root`.
 * This sets the role's trust policy through the function's role transform instead.
 */
type FunctionArgs = sst.aws.FunctionArgs;
type RoleTransform = NonNullable<NonNullable<FunctionArgs["transform"]>["role"]>;

/** The trust policy SST intends for a deployed function. */
export const LAMBDA_ONLY_TRUST = aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" });

/** As SST decides whether a function runs live (function.ts, normalizeDev). */
function runsLive(args: FunctionArgs): boolean {
  return $dev && args.dev !== false && args.live !== false;
}

/** `args.transform.role`, with any role transform the function already has applied first. */
export function withLambdaOnlyTrust(args: FunctionArgs): RoleTransform {
  const existing = args.transform?.role;
  const live = runsLive(args);
  return (roleArgs, opts, name) => {
    if (typeof existing === "function") existing(roleArgs, opts, name);
    else if (existing) Object.assign(roleArgs, existing);
    if (!live) roleArgs.assumeRolePolicy = LAMBDA_ONLY_TRUST;
    return undefined;
  };
}
