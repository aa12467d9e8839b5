import { Badge, Tooltip } from "@mantine/core";
import { queryOptions, useQuery } from "@tanstack/react-query";

import { api, call } from "../api/client";
import { t } from "../i18n/strings";

export const balanceQuery = queryOptions({
  queryKey: ["billing", "balance"],
  queryFn: async () =>
    (await call("/api/v1/billing/balance/", "get", api.GET("/api/v1/billing/balance/"))).data,
  // Live: every 30 s (every 3 s until a new account's balance exists), on focus, and whenever
  // an operation's mutation invalidates it.
  refetchInterval: (query) => (query.state.data ? 30_000 : 3_000),
  refetchOnWindowFocus: true,
  retry: false,
});

export function CreditsBadge() {
  const balance = useQuery(balanceQuery);
  if (!balance.data) {
    return (
      <Badge variant="light" color="gray" size="lg" aria-live="polite">
        {t.shell.creditsUnknown}
      </Badge>
    );
  }
  const b = balance.data;
  const detail = t.shell.creditsDetail(b.available_credits, b.plan_credits, b.bonus_credits, b.held_credits);
  return (
    <Tooltip label={detail}>
      <Badge variant="light" color="blue" size="lg" aria-label={detail} aria-live="polite" data-testid="credits">
        {t.shell.credits(b.available_credits)}
      </Badge>
    </Tooltip>
  );
}
