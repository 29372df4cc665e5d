/**
 * The one place where the end-to-end tests meet the offline stack (packages/local): the real
 * DynamoDB Local, cognito-local behind its proxy, the local API gateway and the SPA's Vite dev
 * server — all on free ports with throwaway data, so a running `pnpm start` is never disturbed.
 */
import { startLocalStack, type LocalStack } from "@tasks/local/stack";

export interface E2EStack {
  webUrl: string;
  stack: LocalStack;
  /** What the stack logged (confirmation codes, handler errors): printed when the test fails. */
  log: readonly string[];
  stop(): Promise<void>;
  /** Waits for the code the stack's Cognito sent to `email` at or after `since` (ms since epoch). */
  confirmationCode(email: string, since: number): Promise<string>;
}

export async function startStack(): Promise<E2EStack> {
  const lines: string[] = [];
  const stack = await startLocalStack({
    ports: { dynamodb: 0, cognito: 0, api: 0, web: 0 },
    web: true,
    // Keep the stack's own lines (codes, handler errors) out of the test output; shown on failure.
    log: (line) => lines.push(line),
    // The handlers' per-request INFO lines would drown the test output; warnings and errors stay.
    handlerEnvironment: { POWERTOOLS_LOG_LEVEL: "WARN" },
  });
  if (!stack.webUrl) {
    await stack.stop();
    throw new Error("The offline stack started without its web server");
  }
  return {
    webUrl: stack.webUrl,
    stack,
    log: lines,
    stop: () => stack.stop(),
    confirmationCode: (email, since) => stack.waitForConfirmationCode(email, { since, timeoutMs: 15_000 }),
  };
}
