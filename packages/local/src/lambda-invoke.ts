/**
 * Invoking a handler in-process as Lambda would: a Context with the function's name, request id
 * and remaining time, and the function's timeout enforced (Lambda stops a function at its
 * timeout; the caller then sees an error, as API Gateway or the stream poller would).
 */
import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

export const LOCAL_ACCOUNT_ID = "000000000000";

export class FunctionTimeoutError extends Error {}

export async function invokeFunction<Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
  event: Event,
  options: { functionName: string; region: string; timeoutMs: number },
): Promise<Result> {
  const { functionName, region, timeoutMs } = options;
  const deadline = Date.now() + timeoutMs;
  const context: Context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(`Task timed out after ${timeoutMs / 1000} seconds`)), timeoutMs);
  });
  try {
    return await Promise.race([handler(event, context), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
