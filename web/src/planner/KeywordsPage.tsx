import { Button, Group, Paper, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";

import { t } from "../i18n/strings";
import { notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { AddKeywordForm } from "./AddKeywordForm";
import { clustersQuery, keywordsQuery, useKeywordMutations, type KeywordOrdering, type KeywordQuery } from "./api";
import { BulkBar } from "./BulkBar";
import { ImportDialog } from "./ImportDialog";
import { KeywordFilters, NO_FILTERS, type FilterValues } from "./KeywordFilters";
import { KeywordTable } from "./KeywordTable";
import { ConfirmDelete, PlannerFrame, PlannerModal } from "./PlannerFrame";
import { exportCsv } from "./transfer";

type Dialog = "add" | "import" | "delete" | null;

function queryOf(sectorId: string, siteId: string, f: FilterValues, search: string, ordering: KeywordOrdering): KeywordQuery {
  const query: KeywordQuery = { site_id: siteId, sector_id: sectorId, ordering };
  if (search.trim()) query.search = search.trim();
  if (f.status) query.status = f.status;
  if (f.intent) query.intent = f.intent;
  if (f.clusterId) query.cluster_id = f.clusterId;
  if (f.volumeMin !== "") query.volume_min = f.volumeMin;
  if (f.volumeMax !== "") query.volume_max = f.volumeMax;
  if (f.difficultyMin !== "") query.difficulty_min = f.difficultyMin;
  if (f.difficultyMax !== "") query.difficulty_max = f.difficultyMax;
  return query;
}

function Keywords({ siteId, sectorId, canWrite, dialog, setDialog }: {
  siteId: string;
  sectorId: string;
  canWrite: boolean;
  dialog: Dialog;
  setDialog: (dialog: Dialog) => void;
}) {
  const [filters, setFilters] = useState<FilterValues>(NO_FILTERS);
  const [search] = useDebouncedValue(filters.search, 300);
  const [ordering, setOrdering] = useState<KeywordOrdering>("-created_at");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const query = useMemo(() => queryOf(sectorId, siteId, filters, search, ordering), [sectorId, siteId, filters, search, ordering]);
  const keywords = useInfiniteQuery(keywordsQuery(query));
  const clusters = useQuery(clustersQuery(sectorId));
  const { setStatus, remove } = useKeywordMutations();
  const exporting = useMutation({ mutationFn: exportCsv, onSuccess: (n) => notifySuccess(t.planner.keywords.exported(n)) });

  const rows = useMemo(() => keywords.data?.pages.flatMap((page) => page.results) ?? [], [keywords.data]);
  const total = keywords.data?.pages.at(-1)?.count ?? 0;
  const clusterNames = useMemo(() => new Map((clusters.data?.results ?? []).map((c) => [c.id, c.name])), [clusters.data]);
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = keywords;
  const needMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const changeFilters = (next: FilterValues) => {
    setFilters(next);
    setSelected(new Set());
  };
  const select = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  return (
    <Stack gap="md">
      <KeywordFilters values={filters} clusters={clusters.data?.results ?? []} onChange={changeFilters} />
      <Group justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="keywords-count">
          {keywords.data ? `${t.planner.keywords.total(total)} · ${t.planner.keywords.loaded(rows.length, total)}` : ""}
        </Text>
        <Group gap="sm">
          {canWrite ? (
            <BulkBar
              count={selected.size}
              busy={setStatus.isPending || remove.isPending}
              onStatus={(status) =>
                setStatus.mutate(
                  { ids: [...selected], status },
                  { onSuccess: (n) => notifySuccess(t.planner.keywords.statusChanged(n)) },
                )
              }
              onDelete={() => setDialog("delete")}
            />
          ) : null}
          <Button variant="default" size="xs" loading={exporting.isPending} onClick={() => exporting.mutate(query)}>
            {t.planner.keywords.export}
          </Button>
        </Group>
      </Group>
      {keywords.isPending ? (
        <Loading />
      ) : keywords.isError ? (
        <LoadError title={t.planner.keywords.loadFailed} error={keywords.error} onRetry={() => void keywords.refetch()} />
      ) : rows.length === 0 ? (
        <Paper withBorder p="lg" radius="md" data-testid="keywords-empty">
          <Text fw={500}>{filtered ? t.planner.keywords.emptyFiltered : t.planner.keywords.empty}</Text>
          {!filtered && canWrite ? (
            <Text size="sm" c="dimmed">
              {t.planner.keywords.emptyHint}
            </Text>
          ) : null}
        </Paper>
      ) : (
        <KeywordTable
          rows={rows}
          total={total}
          hasMore={hasNextPage}
          loadingMore={isFetchingNextPage}
          onNeedMore={needMore}
          selected={selected}
          onSelect={select}
          ordering={ordering}
          onSort={setOrdering}
          clusterNames={clusterNames}
          canWrite={canWrite}
        />
      )}
      {dialog === "add" ? (
        <PlannerModal title={t.planner.keywords.add} onClose={() => setDialog(null)}>
          <AddKeywordForm
            siteId={siteId}
            sectorId={sectorId}
            onCancel={() => setDialog(null)}
            onDone={(keyword) => {
              notifySuccess(t.planner.keywords.added(keyword.keyword));
              setDialog(null);
            }}
          />
        </PlannerModal>
      ) : dialog === "import" ? (
        <PlannerModal title={t.planner.import.title} onClose={() => setDialog(null)} size="lg">
          <ImportDialog siteId={siteId} sectorId={sectorId} onClose={() => setDialog(null)} />
        </PlannerModal>
      ) : dialog === "delete" ? (
        <PlannerModal title={t.planner.keywords.deleteSelected} onClose={() => setDialog(null)}>
          <ConfirmDelete
            text={t.planner.keywords.confirmDelete(selected.size)}
            busy={remove.isPending}
            onCancel={() => setDialog(null)}
            onConfirm={() =>
              remove.mutate([...selected], {
                onSuccess: (n) => {
                  notifySuccess(t.planner.keywords.deleted(n));
                  setSelected(new Set());
                  setDialog(null);
                },
              })
            }
          />
        </PlannerModal>
      ) : null}
    </Stack>
  );
}

/** Planner → Keywords of the chosen sector: filter, sort, search, select, edit in place,
 * bulk status and delete, add, import and export. */
export function KeywordsPage() {
  const [dialog, setDialog] = useState<Dialog>(null);
  return (
    <PlannerFrame
      title={t.planner.keywords.title}
      intro={t.planner.keywords.intro}
      actions={
        <>
          <Button variant="light" onClick={() => setDialog("import")}>
            {t.planner.keywords.import}
          </Button>
          <Button onClick={() => setDialog("add")}>{t.planner.keywords.add}</Button>
        </>
      }
    >
      {({ siteId, sectorId, canWrite }) => (
        <Keywords key={sectorId} siteId={siteId} sectorId={sectorId} canWrite={canWrite} dialog={dialog} setDialog={setDialog} />
      )}
    </PlannerFrame>
  );
}
