import { Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { t } from "../i18n/strings";
import { PageHeader } from "../shell/PageHeader";
import { LoadError, Loading } from "../shell/QueryState";
import { usageQuery, type Usage } from "./api";
import { DateRange } from "./DateRange";
import { UsageChart, type BarChartOption } from "./UsageChart";

/** Drawn on the canvas (rich text): ECharts' HTML tooltip writes inline styles, which the app's
 * Content-Security-Policy refuses. */
const TOOLTIP = { trigger: "axis", renderMode: "richText" } as const;

const operationLabel = (type: string) => t.billing.operationTypes[type] ?? type;

function byOperationOption(usage: Usage): BarChartOption {
  return {
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    tooltip: TOOLTIP,
    xAxis: { type: "category", data: usage.by_operation.map((row) => operationLabel(row.operation_type)) },
    yAxis: { type: "value", name: t.billing.creditsColumn, minInterval: 1 },
    series: [{ type: "bar", name: t.billing.creditsColumn, data: usage.by_operation.map((row) => row.credits) }],
  };
}

function byDayOption(usage: Usage): BarChartOption {
  const days = [...new Set(usage.by_day.map((row) => row.day))].sort();
  const types = [...new Set(usage.by_day.map((row) => row.operation_type))].sort();
  return {
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    tooltip: TOOLTIP,
    legend: { top: 0 },
    xAxis: { type: "category", data: days },
    yAxis: { type: "value", name: t.billing.creditsColumn, minInterval: 1 },
    series: types.map((type) => ({
      type: "bar",
      stack: "credits",
      name: operationLabel(type),
      data: days.map((day) =>
        usage.by_day.filter((row) => row.day === day && row.operation_type === type).reduce((sum, row) => sum + row.credits, 0),
      ),
    })),
  };
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function UsageReport({ usage }: { usage: Usage }) {
  const operationOption = useMemo(() => byOperationOption(usage), [usage]);
  const dayOption = useMemo(() => byDayOption(usage), [usage]);
  const total = usage.by_operation.reduce((sum, row) => sum + row.credits, 0);
  const days = [...usage.by_day].sort((a, b) => (a.day === b.day ? a.operation_type.localeCompare(b.operation_type) : a.day.localeCompare(b.day)));
  return (
    <Stack gap="lg">
      <Section id="usage-by-operation" title={t.billing.byOperation}>
        <UsageChart testId="usage-chart-operations" option={operationOption} label={t.billing.chartLabel(t.billing.byOperation, total)} />
        <Table aria-labelledby="usage-by-operation" data-testid="usage-table-operations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t.billing.operation}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t.billing.operations}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t.billing.quantity}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t.billing.creditsColumn}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {usage.by_operation.map((row) => (
              <Table.Tr key={row.operation_type}>
                <Table.Td>{operationLabel(row.operation_type)}</Table.Td>
                <Table.Td ta="right">{row.operations.toLocaleString()}</Table.Td>
                <Table.Td ta="right">{row.quantity.toLocaleString()}</Table.Td>
                <Table.Td ta="right">{row.credits.toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Section id="usage-by-day" title={t.billing.byDay}>
        <UsageChart testId="usage-chart-days" option={dayOption} label={t.billing.chartLabel(t.billing.byDay, total)} />
        <Table aria-labelledby="usage-by-day" data-testid="usage-table-days">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t.billing.day}</Table.Th>
              <Table.Th scope="col">{t.billing.operation}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t.billing.creditsColumn}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {days.map((row) => (
              <Table.Tr key={`${row.day}-${row.operation_type}`}>
                <Table.Td>{new Date(`${row.day}T00:00:00`).toLocaleDateString()}</Table.Td>
                <Table.Td>{operationLabel(row.operation_type)}</Table.Td>
                <Table.Td ta="right">{row.credits.toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}

/** Billing → Usage: credits per operation and per day, as charts and as tables. */
export function UsagePage() {
  const [range, setRange] = useState({ since: "", until: "" });
  const usage = useQuery(usageQuery(range.since, range.until));
  const data = usage.data;
  return (
    <Stack gap="lg">
      <PageHeader title={t.billing.usageTitle} intro={t.billing.usageIntro} />
      <Group align="flex-end" gap="md" role="search" aria-label={t.billing.usageTitle}>
        <DateRange
          since={range.since}
          until={range.until}
          error={usage.error}
          onChange={(change) => setRange((current) => ({ ...current, ...change }))}
        />
      </Group>
      {usage.isPending ? (
        <Loading />
      ) : usage.isError && !data ? (
        <LoadError title={t.billing.usageLoadFailed} error={usage.error} onRetry={() => void usage.refetch()} />
      ) : !data || data.by_operation.length === 0 ? (
        <Paper withBorder p="lg" radius="md" data-testid="usage-empty">
          <Text fw={500}>{t.billing.usageEmpty}</Text>
          <Text size="sm" c="dimmed">
            {t.billing.usageEmptyHint}
          </Text>
        </Paper>
      ) : (
        <UsageReport usage={data} />
      )}
    </Stack>
  );
}
