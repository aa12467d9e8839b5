import { Button, Checkbox, Group, Pagination, Paper, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { clustersQuery, LIST_PAGE, useClusterMutations, type Cluster } from "./api";
import { ClusterKeywordList, ClusterKeywords, MergeClusters, RenameCluster } from "./ClusterForms";
import { ConfirmDelete, PlannerFrame, PlannerModal } from "./PlannerFrame";
import { RunClustering } from "./RunClustering";

type Dialog =
  | { kind: "run" }
  | { kind: "rename"; cluster: Cluster }
  | { kind: "delete"; cluster: Cluster }
  | { kind: "keywords"; cluster: Cluster }
  | { kind: "merge"; clusters: Cluster[] }
  | null;

function ClusterRow({ cluster, canWrite, selected, onSelect, open }: {
  cluster: Cluster;
  canWrite: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  open: (dialog: Dialog) => void;
}) {
  const c = t.planner.clusters;
  return (
    <Table.Tr data-testid="cluster-row">
      {canWrite ? (
        <Table.Td>
          <Checkbox aria-label={c.selectCluster(cluster.name)} checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} />
        </Table.Td>
      ) : null}
      <Table.Td>
        <Text size="sm" fw={500}>
          {cluster.name}
        </Text>
        {cluster.description ? (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {cluster.description}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{cluster.keyword_count.toLocaleString()}</Table.Td>
      <Table.Td>{cluster.total_volume.toLocaleString()}</Table.Td>
      <Table.Td>{cluster.average_difficulty === null ? t.planner.none : cluster.average_difficulty.toFixed(1)}</Table.Td>
      <Table.Td>{cluster.dominant_intent ? t.planner.intent[cluster.dominant_intent] : t.planner.none}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" variant="light" aria-label={c.openKeywords(cluster.name)} onClick={() => open({ kind: "keywords", cluster })}>
            {c.keywordsButton}
          </Button>
          {canWrite ? (
            <>
              <Button size="xs" variant="light" aria-label={c.renameNamed(cluster.name)} onClick={() => open({ kind: "rename", cluster })}>
                {c.rename}
              </Button>
              <Button size="xs" variant="light" color="red" aria-label={c.deleteNamed(cluster.name)} onClick={() => open({ kind: "delete", cluster })}>
                {t.planner.delete}
              </Button>
            </>
          ) : null}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function Dialogs({ dialog, close, siteId, sectorId, clusters, canWrite }: {
  dialog: Dialog;
  close: () => void;
  siteId: string;
  sectorId: string;
  clusters: Cluster[];
  canWrite: boolean;
}) {
  const { remove } = useClusterMutations();
  const c = t.planner.clusters;
  if (dialog === null) return null;
  switch (dialog.kind) {
    case "run":
      return (
        <PlannerModal title={c.runTitle} onClose={close}>
          <RunClustering siteId={siteId} sectorId={sectorId} onClose={close} />
        </PlannerModal>
      );
    case "rename":
      return (
        <PlannerModal title={c.renameTitle} onClose={close}>
          <RenameCluster cluster={dialog.cluster} onDone={close} />
        </PlannerModal>
      );
    case "merge":
      return (
        <PlannerModal title={c.mergeTitle} onClose={close}>
          <MergeClusters clusters={dialog.clusters} onDone={close} />
        </PlannerModal>
      );
    case "keywords":
      return (
        <PlannerModal title={c.keywordsTitle(dialog.cluster.name)} onClose={close} size="lg">
          {canWrite ? (
            <ClusterKeywords cluster={dialog.cluster} clusters={clusters} onDone={close} />
          ) : (
            <ClusterKeywordList cluster={dialog.cluster} />
          )}
        </PlannerModal>
      );
    case "delete":
      return (
        <PlannerModal title={c.deleteNamed(dialog.cluster.name)} onClose={close}>
          <ConfirmDelete
            text={c.confirmDelete(dialog.cluster.name)}
            busy={remove.isPending}
            onCancel={close}
            onConfirm={() =>
              remove.mutate(dialog.cluster.id, {
                onSuccess: () => {
                  notifySuccess(c.deletedCluster(dialog.cluster.name));
                  close();
                },
              })
            }
          />
        </PlannerModal>
      );
  }
}

function Clusters({ siteId, sectorId, canWrite, dialog, setDialog }: {
  siteId: string;
  sectorId: string;
  canWrite: boolean;
  dialog: Dialog;
  setDialog: (dialog: Dialog) => void;
}) {
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const clusters = useQuery(clustersQuery(sectorId, page));
  const c = t.planner.clusters;
  const list = clusters.data?.results ?? [];
  const chosen = list.filter((cluster) => selected.has(cluster.id));
  const select = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite">
          {clusters.data ? c.total(clusters.data.count) : ""}
        </Text>
        {canWrite && chosen.length >= 2 ? (
          <Button size="xs" variant="light" onClick={() => setDialog({ kind: "merge", clusters: chosen })}>
            {c.merge}
          </Button>
        ) : null}
      </Group>
      {clusters.isPending ? (
        <Loading />
      ) : clusters.isError ? (
        <LoadError title={c.loadFailed} error={clusters.error} onRetry={() => void clusters.refetch()} />
      ) : list.length === 0 ? (
        <Paper withBorder p="lg" radius="md" data-testid="clusters-empty">
          <Text fw={500}>{c.empty}</Text>
          {canWrite ? (
            <Text size="sm" c="dimmed">
              {c.emptyHint}
            </Text>
          ) : null}
        </Paper>
      ) : (
        <Table aria-label={c.table} data-testid="clusters-table" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              {canWrite ? <Table.Th scope="col" w={40}>{t.planner.selectColumn}</Table.Th> : null}
              <Table.Th scope="col">{c.name}</Table.Th>
              <Table.Th scope="col">{c.keywords}</Table.Th>
              <Table.Th scope="col">{c.totalVolume}</Table.Th>
              <Table.Th scope="col">{c.averageDifficulty}</Table.Th>
              <Table.Th scope="col">{c.dominantIntent}</Table.Th>
              <Table.Th scope="col">{c.actions}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((cluster) => (
              <ClusterRow
                key={cluster.id}
                cluster={cluster}
                canWrite={canWrite}
                selected={selected.has(cluster.id)}
                onSelect={(on) => select(cluster.id, on)}
                open={setDialog}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {clusters.data && clusters.data.count > LIST_PAGE ? (
        <Pagination
          total={Math.ceil(clusters.data.count / LIST_PAGE)}
          value={page}
          onChange={setPage}
          getControlProps={(control) => ({ "aria-label": t.planner.pageControl[control] })}
        />
      ) : null}
      <Dialogs
        dialog={dialog}
        close={() => {
          setDialog(null);
          setSelected(new Set());
        }}
        siteId={siteId}
        sectorId={sectorId}
        clusters={list}
        canWrite={canWrite}
      />
    </Stack>
  );
}

/** Planner → Clusters of the chosen sector: stats, rename, merge, split, move keywords, delete,
 * and clustering with a chosen method. */
export function ClustersPage() {
  const [dialog, setDialog] = useState<Dialog>(null);
  return (
    <PlannerFrame
      title={t.planner.clusters.title}
      intro={t.planner.clusters.intro}
      actions={<Button onClick={() => setDialog({ kind: "run" })}>{t.planner.clusters.run}</Button>}
    >
      {({ siteId, sectorId, canWrite }) => (
        <Clusters key={sectorId} siteId={siteId} sectorId={sectorId} canWrite={canWrite} dialog={dialog} setDialog={setDialog} />
      )}
    </PlannerFrame>
  );
}
