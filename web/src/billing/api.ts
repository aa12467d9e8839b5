import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, call } from "../api/client";
import type { Answer } from "../api/types";

export { balanceQuery } from "../shell/CreditsBadge";

export type Balance = Answer<"/api/v1/billing/balance/", "get">["data"];
export type Plan = Answer<"/api/v1/billing/plans/", "get">["results"][number];
export type Transaction = Answer<"/api/v1/billing/transactions/", "get">["results"][number];
export type Usage = Answer<"/api/v1/billing/usage/", "get">["data"];

export const plansQuery = queryOptions({
  queryKey: ["billing", "plans"],
  queryFn: async () =>
    (await call("/api/v1/billing/plans/", "get", api.GET("/api/v1/billing/plans/"))).results,
  staleTime: 5 * 60_000,
});

/** The filters the transactions listing takes (empty strings: no filter). */
export interface TransactionFilters {
  kind: string;
  since: string;
  until: string;
}

export const TRANSACTIONS_PAGE_SIZE = 25;

/** A day of the user's calendar (`YYYY-MM-DD`) as the instant it starts (`until`: ends). */
function dayBound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const moment = new Date(`${day}T00:00:00`);
  if (Number.isNaN(moment.getTime())) return undefined;
  if (end) moment.setDate(moment.getDate() + 1);
  return moment.toISOString();
}

export const transactionsQuery = (filters: TransactionFilters, page: number) =>
  queryOptions({
    queryKey: ["billing", "transactions", filters, page],
    queryFn: async () =>
      call(
        "/api/v1/billing/transactions/",
        "get",
        api.GET("/api/v1/billing/transactions/", {
          params: {
            query: {
              page,
              page_size: TRANSACTIONS_PAGE_SIZE,
              kind: filters.kind || undefined,
              since: dayBound(filters.since, false),
              until: dayBound(filters.until, true),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });

export const usageQuery = (since: string, until: string) =>
  queryOptions({
    queryKey: ["billing", "usage", since, until],
    queryFn: async () =>
      (
        await call(
          "/api/v1/billing/usage/",
          "get",
          api.GET("/api/v1/billing/usage/", {
            params: { query: { since: since || undefined, until: until || undefined } },
          }),
        )
      ).data,
    placeholderData: keepPreviousData,
  });

export function useChangePlan() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (planSlug: string) =>
      (await call("/api/v1/billing/plan/", "post", api.POST("/api/v1/billing/plan/", { body: { plan_slug: planSlug } })))
        .data,
    onSuccess: (balance) => {
      client.setQueryData(["billing", "balance"], balance);
      return client.invalidateQueries({ queryKey: ["billing"] });
    },
    meta: { handlesErrors: true },
  });
}
