import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";

import { notifyError } from "../shell/notify";
import { ApiError } from "./errors";

declare module "@tanstack/react-query" {
  interface Register {
    mutationMeta: {
      /** The mutation's form shows its errors (field errors and the rest): no toast. */
      handlesErrors?: boolean;
    };
  }
}

/** Server state: one cache; a failure nobody shows in place becomes a toast with its request id. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        // Lists show their own error state on first load; a failed background refresh toasts.
        if (query.state.data !== undefined) notifyError(error);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        if (!mutation.meta?.handlesErrors) notifyError(error);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
}
