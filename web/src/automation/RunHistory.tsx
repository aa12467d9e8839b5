import { Table, Text } from "@mantine/core";

import { t } from "../i18n/strings";
import type { AutomationRun } from "./api";

function articles(run: AutomationRun): number {
  return run.stages.find((s) => s.stage === "articles")?.processed ?? 0;
}

/** The site's recent runs, newest first. */
export function RunHistory({ runs }: { runs: AutomationRun[] }) {
  if (runs.length === 0) return <Text size="sm">{t.automation.noRuns}</Text>;
  return (
    <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t.automation.startedAt}</Table.Th>
            <Table.Th>{t.automation.trigger}</Table.Th>
            <Table.Th>{t.automation.status}</Table.Th>
            <Table.Th>{t.automation.stage}</Table.Th>
            <Table.Th>{t.automation.articles}</Table.Th>
            <Table.Th>{t.automation.error}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <Table.Tr key={run.id}>
              <Table.Td>{new Date(run.started_at ?? run.created_at).toLocaleString()}</Table.Td>
              <Table.Td>{t.automation.triggers[run.trigger]}</Table.Td>
              <Table.Td>{t.automation.statuses[run.status]}</Table.Td>
              <Table.Td>{t.automation.stages[run.stage]}</Table.Td>
              <Table.Td>{articles(run)}</Table.Td>
              <Table.Td>{run.error}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
  );
}
