/**
 * The one place where the end-to-end tests meet the offline stack (packages/local).
 *
 * ASSUMED INTERFACE (packages/local/src/stack.ts, being written in parallel):
 *   startLocalStack(options?) → Promise<{ webUrl, apiUrl, stop(): Promise<void>, ... }>
 * starting DynamoDB Local (in memory), cognito-local, the local gateway and the Vite dev server
 * for packages/web on free ports. For confirmation codes, the first of these that exists is used:
 *   stack.confirmationCode(email) → string | undefined | Promise<…>
 *   stack.codes.latestFor(email)?.code      (ConfirmationCodeBook in confirmation-codes.ts)
 * and otherwise the fixed code that cognito-local's CODE environment variable sets (E2E_CODE).
 */

export const FIXED_CODE = "424242";

export interface E2EStack {
  webUrl: string;
  apiUrl: string;
  stop(): Promise<void>;
  /** The latest confirmation code the stack saw for this address. */
  confirmationCode(email: string): Promise<string>;
}

interface StartedLocalStack {
  webUrl: string;
  apiUrl: string;
  stop(): Promise<void>;
  confirmationCode?: (email: string) => string | undefined | Promise<string | undefined>;
  codes?: { latestFor(email: string): { code: string } | undefined };
}

export async function startStack(): Promise<E2EStack> {
  // cognito-local reads CODE to make every code predictable; the child inherits our environment.
  process.env.CODE ??= FIXED_CODE;
  // A variable specifier keeps this file compiling while packages/local/src/stack.ts is written.
  const specifier = process.env.TASKS_E2E_STACK_MODULE ?? "@tasks/local/stack";
  const module = (await import(/* @vite-ignore */ specifier)) as {
    startLocalStack: (options?: Record<string, unknown>) => Promise<StartedLocalStack>;
  };
  const stack = await module.startLocalStack({ inMemory: true, quiet: true });
  return {
    webUrl: stack.webUrl,
    apiUrl: stack.apiUrl,
    stop: () => stack.stop(),
    async confirmationCode(email) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const code = (await stack.confirmationCode?.(email)) ?? stack.codes?.latestFor(email)?.code;
        if (code) return code;
        if (!stack.confirmationCode && !stack.codes) return process.env.CODE ?? FIXED_CODE;
        if (Date.now() > deadline) throw new Error(`no confirmation code for ${email} within 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
