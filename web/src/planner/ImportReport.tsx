import { Alert, Badge, Group, Stack, Table, Text } from "@mantine/core";

import { t } from "../i18n/strings";
import type { ImportReport as Report } from "./transfer";

/** What an import did (or, in a dry run, would do), and its rejected rows line by line. */
export function ImportReport({ report }: { report: Report }) {
  const i = t.planner.import;
  return (
    <Stack gap="sm" data-testid="import-report">
      <Text fw={600}>{i.summary}</Text>
      {report.dryRun ? (
        <Alert color="blue" role="note" p="xs">
          {i.dryRunNote}
        </Alert>
      ) : null}
      <Group gap="xs">
        {report.format ? <Badge variant="light">{`${i.format}: ${report.format}`}</Badge> : null}
        <Badge variant="light" color="gray">{`${i.rows}: ${report.rows.toLocaleString()}`}</Badge>
        <Badge variant="light" color="green">
          {`${report.dryRun ? i.wouldImport : i.imported}: ${(report.dryRun ? report.rows - report.rejected - report.duplicates : report.imported).toLocaleString()}`}
        </Badge>
        <Badge variant="light" color="gray">{`${i.duplicates}: ${report.duplicates.toLocaleString()}`}</Badge>
        <Badge variant="light" color={report.rejected > 0 ? "red" : "gray"}>{`${i.rejected}: ${report.rejected.toLocaleString()}`}</Badge>
      </Group>
      {report.rejectedRows.length === 0 ? (
        <Text size="sm">{i.noRejections}</Text>
      ) : (
        <>
          <Table aria-label={i.reportTable} data-testid="import-rejections" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{i.line}</Table.Th>
                <Table.Th scope="col">{i.lineStatus}</Table.Th>
                <Table.Th scope="col">{i.reason}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.rejectedRows.map((row) => (
                <Table.Tr key={row.line}>
                  <Table.Td>{row.line}</Table.Td>
                  <Table.Td>{i.rejectedStatus}</Table.Td>
                  <Table.Td>{row.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {report.truncated ? (
            <Text size="xs" c="dimmed">
              {i.truncated(report.rejectedRows.length, report.rejected)}
            </Text>
          ) : null}
        </>
      )}
    </Stack>
  );
}
