import { Button, Group, NativeSelect, Pagination, Paper, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { PageHeader } from "../shell/PageHeader";
import { LoadError, Loading } from "../shell/QueryState";
import { DateRange, filterError } from "./DateRange";
import { TRANSACTIONS_PAGE_SIZE, transactionsQuery, type TransactionFilters } from "./api";

const NO_FILTERS: TransactionFilters = { kind: "", since: "", until: "" };

/** Billing → Transactions: the ledger, paged, filtered by kind and dates. */
export function TransactionsPage() {
  const [filters, setFilters] = useState<TransactionFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const listing = useQuery(transactionsQuery(filters, page));
  const set = (change: Partial<TransactionFilters>) => {
    setFilters((current) => ({ ...current, ...change }));
    setPage(1);
  };
  const count = listing.data?.count ?? 0;
  const pages = Math.max(1, Math.ceil(count / TRANSACTIONS_PAGE_SIZE));
  const results = listing.data?.results ?? [];
  const from = (page - 1) * TRANSACTIONS_PAGE_SIZE + 1;

  return (
    <Stack gap="lg">
      <PageHeader title={t.billing.transactionsTitle} intro={t.billing.transactionsIntro} />
      <Group align="flex-end" gap="md" role="search" aria-label={t.billing.transactionsTitle}>
        <NativeSelect
          label={t.billing.kind}
          value={filters.kind}
          onChange={(event) => set({ kind: event.currentTarget.value })}
          data={[
            { value: "", label: t.billing.anyKind },
            ...Object.entries(t.billing.kinds).map(([value, label]) => ({ value, label })),
          ]}
          error={filterError(listing.error, "kind")}
        />
        <DateRange since={filters.since} until={filters.until} error={listing.error} onChange={set} />
        <Button variant="default" onClick={() => set(NO_FILTERS)} disabled={!filters.kind && !filters.since && !filters.until}>
          {t.billing.clearFilters}
        </Button>
      </Group>

      {listing.isPending ? (
        <Loading />
      ) : listing.isError && !listing.data ? (
        <LoadError title={t.billing.transactionsLoadFailed} error={listing.error} onRetry={() => void listing.refetch()} />
      ) : results.length === 0 ? (
        <Paper withBorder p="lg" radius="md" data-testid="transactions-empty">
          <Text>{t.billing.transactionsEmpty}</Text>
        </Paper>
      ) : (
        <Stack gap="sm">
          <Table aria-label={t.billing.transactionsTitle} data-testid="transactions-table" aria-busy={listing.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t.billing.date}</Table.Th>
                <Table.Th scope="col">{t.billing.kind}</Table.Th>
                <Table.Th scope="col">{t.billing.reason}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t.billing.planDelta}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t.billing.bonusDelta}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {results.map((tx) => (
                <Table.Tr key={tx.id}>
                  <Table.Td>{new Date(tx.created_at).toLocaleString()}</Table.Td>
                  <Table.Td>{t.billing.kinds[tx.kind] ?? tx.kind}</Table.Td>
                  <Table.Td>{tx.reason}</Table.Td>
                  <Table.Td ta="right">{t.billing.signed(tx.plan_delta)}</Table.Td>
                  <Table.Td ta="right">{t.billing.signed(tx.bonus_delta)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {t.billing.showing(from, from + results.length - 1, count)}
            </Text>
            {pages > 1 ? (
              <Pagination
                total={pages}
                value={page}
                onChange={setPage}
                aria-label={t.billing.pages}
                getControlProps={(control) => ({ "aria-label": t.billing.pageControls[control] })}
              />
            ) : null}
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
