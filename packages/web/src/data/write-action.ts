import { MutationObserver, useQueryClient, type MutationOptions } from "@tanstack/react-query";
import { useState } from "react";

/**
 * A write as a TanStack mutation (scope, retries, optimistic onMutate/rollback, the cache's 401
 * handler) without useMutation's subscription: useMutation re-renders its component on every
 * status change of every write, and here that component is the whole app — at 1 000 tasks a
 * toggle would re-render the list twice more than it needs. The views follow the cache instead.
 */
export function useWriteAction<TData, TVariables, TContext = unknown>(
  options: MutationOptions<TData, Error, TVariables, TContext>,
): { mutate: (variables: TVariables) => void; mutateAsync: (variables: TVariables) => Promise<TData> } {
  const queryClient = useQueryClient();
  const [observer] = useState(() => new MutationObserver<TData, Error, TVariables, TContext>(queryClient, options));
  // The latest callbacks (they close over this render's values); setting options notifies no one.
  observer.setOptions(options);
  return {
    // Failures are handled by the options' onError (rollback, alert); nothing else awaits them.
    mutate: (variables) => void observer.mutate(variables).catch(() => undefined),
    mutateAsync: (variables) => observer.mutate(variables),
  };
}
