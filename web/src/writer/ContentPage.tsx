import { Badge, Button, Group, Stack, Table, Tabs, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { ArticleLink } from "./ArticleLink";
import type { Sector, Site } from "../sites/api";
import { notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { contentListQuery, PAGE_SIZE, useDeleteContent, type Content } from "./api";
import { ConfirmDialog } from "./Confirm";
import { PageFrame, useCanWrite } from "./PageFrame";
import { Paged } from "./Paged";
import { SelectAll, SelectRow, useSelection, type Selection } from "./selection";

const TABS = ["draft", "review", "approved", "published"] as const;
type Tab = (typeof TABS)[number];

function ContentTable({ rows, selection }: { rows: Content[]; selection: Selection | null }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table data-testid="content-table" aria-label={t.writer.contentTitle}>
        <Table.Thead>
          <Table.Tr>
            {selection ? (
              <Table.Th scope="col" w={40}>
                <SelectAll selection={selection} ids={rows.map((row) => row.id)} />
              </Table.Th>
            ) : null}
            <Table.Th scope="col">{t.writer.title}</Table.Th>
            <Table.Th scope="col">{t.writer.status}</Table.Th>
            <Table.Th scope="col">{t.writer.wordCount}</Table.Th>
            <Table.Th scope="col">{t.writer.version}</Table.Th>
            <Table.Th scope="col">{t.writer.updated}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id}>
              {selection ? (
                <Table.Td>
                  <SelectRow selection={selection} id={row.id} name={row.title} />
                </Table.Td>
              ) : null}
              <Table.Td>
                <ArticleLink contentId={row.id}>{row.title}</ArticleLink>
              </Table.Td>
              <Table.Td>
                <Badge variant="light">{t.writer.contentStatus[row.status]}</Badge>
              </Table.Td>
              <Table.Td>{row.word_count.toLocaleString()}</Table.Td>
              <Table.Td>{row.version}</Table.Td>
              <Table.Td>{new Date(row.updated_at).toLocaleString()}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ContentList({ site, sector, status, search }: { site: Site; sector: Sector; status: Tab; search: string }) {
  const canWrite = useCanWrite();
  const [page, setPage] = useState(1);
  const selection = useSelection();
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteContent();
  const list = useQuery(
    contentListQuery({ site_id: site.id, sector_id: sector.id, status, search: search || undefined, page, page_size: PAGE_SIZE }),
  );
  if (list.isPending) return <Loading />;
  if (list.isError) return <LoadError title={t.writer.contentLoadFailed} error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.results.length === 0) return <Text size="sm">{t.writer.contentEmpty}</Text>;
  return (
    <Stack gap="sm">
      {canWrite ? (
        <Group justify="space-between">
          <Text size="sm" aria-live="polite">
            {t.writer.selected(selection.ids.length)}
          </Text>
          <Button size="xs" color="red" variant="light" disabled={selection.ids.length === 0} onClick={() => setConfirming(true)}>
            {t.writer.deleteArticles}
          </Button>
        </Group>
      ) : null}
      <ContentTable rows={list.data.results} selection={canWrite ? selection : null} />
      <Paged page={page} count={list.data.count} shown={list.data.results.length} onPage={setPage} />
      {confirming ? (
        <ConfirmDialog
          title={t.writer.deleteArticles}
          text={t.writer.confirmDeleteArticles(selection.ids.length)}
          confirm={t.writer.delete}
          busy={remove.isPending}
          onClose={() => setConfirming(false)}
          onConfirm={() =>
            remove.mutate(selection.ids, {
              onSuccess: (done) => {
                notifySuccess(t.writer.articlesDeleted(done.deleted_count));
                selection.clear();
                setConfirming(false);
              },
            })
          }
        />
      ) : null}
    </Stack>
  );
}

export function ContentPage() {
  const [tab, setTab] = useState<Tab>("draft");
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 300);
  return (
    <PageFrame title={t.writer.contentTitle} intro={t.writer.contentIntro}>
      {({ site, sector }) => (
        <Stack gap="md">
          <TextInput
            label={t.writer.search}
            type="search"
            maw={360}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
          />
          <Tabs value={tab} onChange={(value) => setTab((value as Tab | null) ?? "draft")} keepMounted={false}>
            <Tabs.List>
              {TABS.map((status) => (
                <Tabs.Tab key={status} value={status}>
                  {t.writer.tabs[status]}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {TABS.map((status) => (
              <Tabs.Panel key={status} value={status} pt="md">
                <ContentList key={`${sector.id}-${debounced}`} site={site} sector={sector} status={status} search={debounced} />
              </Tabs.Panel>
            ))}
          </Tabs>
        </Stack>
      )}
    </PageFrame>
  );
}
