import { Button, Group, NativeSelect, Paper, Stack, Table, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { useContentMutations, versionsQuery, type Version } from "./api";
import { useCanWrite } from "./PageFrame";
import { VersionDiff } from "./VersionDiff";

function VersionRow({ version, current, onRestore, busy }: { version: Version; current: boolean; onRestore: (() => void) | null; busy: boolean }) {
  return (
    <Table.Tr>
      <Table.Td>
        {t.writer.versionLabel(version.version)}
        {current ? ` (${t.writer.currentVersion})` : ""}
      </Table.Td>
      <Table.Td>
        {t.writer.versionSource[version.source]}
        {version.restored_from ? ` ${t.writer.restoredFrom(version.restored_from)}` : ""}
      </Table.Td>
      <Table.Td>{new Date(version.created_at).toLocaleString()}</Table.Td>
      <Table.Td>
        {onRestore && !current ? (
          <Button size="xs" variant="light" loading={busy} onClick={onRestore}>
            {t.writer.restore(version.version)}
          </Button>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

function Compare({ versions }: { versions: Version[] }) {
  const numbers = versions.map((v) => String(v.version));
  const last = numbers[numbers.length - 1] ?? "1";
  const [from, setFrom] = useState(numbers[numbers.length - 2] ?? last);
  const [to, setTo] = useState(last);
  const [shown, setShown] = useState<[number, number] | null>(null);
  const before = versions.find((v) => v.version === shown?.[0]);
  const after = versions.find((v) => v.version === shown?.[1]);
  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <NativeSelect label={t.writer.compareFrom} value={from} onChange={(e) => setFrom(e.currentTarget.value)} data={numbers} />
        <NativeSelect label={t.writer.compareTo} value={to} onChange={(e) => setTo(e.currentTarget.value)} data={numbers} />
        <Button variant="light" onClick={() => setShown([Number(from), Number(to)])}>
          {t.writer.showDiff}
        </Button>
      </Group>
      {shown && before && after ? <VersionDiff from={shown[0]} to={shown[1]} before={before} after={after} /> : null}
    </Stack>
  );
}

/** Every version of the article, a diff between any two, and restoring an earlier one. */
export function VersionsPanel({ contentId }: { contentId: string }) {
  const canWrite = useCanWrite();
  const versions = useQuery(versionsQuery(contentId));
  const { restore } = useContentMutations(contentId);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="versions-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="versions-heading">
          {t.writer.versions}
        </Title>
        {versions.isPending ? (
          <Loading />
        ) : versions.isError ? (
          <LoadError title={t.writer.versionsLoadFailed} error={versions.error} onRetry={() => void versions.refetch()} />
        ) : (
          <>
            <Table aria-labelledby="versions-heading" data-testid="versions-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t.writer.version}</Table.Th>
                  <Table.Th scope="col">{t.writer.origin}</Table.Th>
                  <Table.Th scope="col">{t.writer.when}</Table.Th>
                  <Table.Th scope="col">{t.writer.actions}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...versions.data.versions].reverse().map((version) => (
                  <VersionRow
                    key={version.version}
                    version={version}
                    current={version.version === versions.data.current_version}
                    busy={restore.isPending && restore.variables === version.version}
                    onRestore={
                      canWrite
                        ? () =>
                            restore.mutate(version.version, {
                              onSuccess: (content) => notifySuccess(t.writer.restored(version.version, content.version)),
                            })
                        : null
                    }
                  />
                ))}
              </Table.Tbody>
            </Table>
            {versions.data.versions.length > 1 ? (
              // A new version (saved, restored) starts the comparison again at the latest two.
              <Compare key={versions.data.current_version} versions={versions.data.versions} />
            ) : null}
          </>
        )}
      </Stack>
    </Paper>
  );
}
