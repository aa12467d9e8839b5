import { Badge, Button, Checkbox, Group, NativeSelect, Pagination, Paper, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { clustersQuery, ideasQuery, LIST_PAGE, useIdeaMutations, type Idea } from "./api";
import { GenerateIdeas } from "./GenerateIdeas";
import { IdeaForm } from "./IdeaForm";
import { ConfirmDelete, PlannerFrame, PlannerModal } from "./PlannerFrame";

type Dialog = { kind: "generate" } | { kind: "edit"; idea: Idea } | { kind: "delete"; ids: string[] } | null;
type Status = Idea["status"];

function IdeaRow({ idea, canWrite, selected, onSelect, open }: {
  idea: Idea;
  canWrite: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  open: (dialog: Dialog) => void;
}) {
  const g = t.planner.ideas;
  return (
    <Table.Tr data-testid="idea-row">
      {canWrite ? (
        <Table.Td>
          <Checkbox aria-label={t.planner.selectRow(idea.title)} checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} />
        </Table.Td>
      ) : null}
      <Table.Td>
        <Text size="sm" fw={500}>
          {idea.title}
        </Text>
        <Text size="xs" c="dimmed" lineClamp={1}>
          {idea.target_keywords.map((k) => k.keyword).join(", ")}
        </Text>
      </Table.Td>
      <Table.Td>{idea.cluster_name ?? t.planner.none}</Table.Td>
      <Table.Td>{g.structures[idea.content_structure]}</Table.Td>
      <Table.Td>{g.contentTypes[idea.content_type]}</Table.Td>
      <Table.Td>{idea.estimated_word_count.toLocaleString()}</Table.Td>
      <Table.Td miw={110}>
        <Badge variant="light" color={idea.status === "queued" ? "blue" : idea.status === "new" ? "green" : "gray"}>
          {g.status[idea.status]}
        </Badge>
      </Table.Td>
      {canWrite ? (
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="light" aria-label={g.editNamed(idea.title)} onClick={() => open({ kind: "edit", idea })}>
              {g.edit}
            </Button>
            <Button size="xs" variant="light" color="red" aria-label={g.deleteNamed(idea.title)} onClick={() => open({ kind: "delete", ids: [idea.id] })}>
              {t.planner.delete}
            </Button>
          </Group>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

function Ideas({ sectorId, canWrite, dialog, setDialog }: {
  sectorId: string;
  canWrite: boolean;
  dialog: Dialog;
  setDialog: (dialog: Dialog) => void;
}) {
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<Status | "">("");
  const [clusterId, setClusterId] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const ideas = useQuery(
    ideasQuery({ sector_id: sectorId, page, page_size: LIST_PAGE, ...(status ? { status } : {}), ...(clusterId ? { cluster_id: clusterId } : {}) }),
  );
  const clusters = useQuery(clustersQuery(sectorId));
  const { queue, remove } = useIdeaMutations();
  const g = t.planner.ideas;
  const list = ideas.data?.results ?? [];
  const chosen = list.filter((idea) => selected.has(idea.id)).map((idea) => idea.id);
  const select = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const close = () => setDialog(null);

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" justify="space-between">
        <Group gap="sm" align="flex-end">
          <NativeSelect
            label={g.statusLabel}
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as Status | "");
              setPage(1);
            }}
            data={[{ value: "", label: t.planner.all }, ...(Object.keys(g.status) as Status[]).map((s) => ({ value: s, label: g.status[s] }))]}
          />
          <NativeSelect
            label={g.cluster}
            value={clusterId}
            onChange={(e) => {
              setClusterId(e.currentTarget.value);
              setPage(1);
            }}
            data={[{ value: "", label: t.planner.all }, ...(clusters.data?.results ?? []).map((c) => ({ value: c.id, label: c.name }))]}
            maw={240}
          />
          <Text size="sm" c="dimmed" aria-live="polite">
            {ideas.data ? g.total(ideas.data.count) : ""}
          </Text>
        </Group>
        {canWrite && chosen.length > 0 ? (
          <Group gap="sm" role="toolbar" aria-label={t.planner.selected(chosen.length)}>
            <Text size="sm" fw={500}>
              {t.planner.selected(chosen.length)}
            </Text>
            <Button
              size="xs"
              loading={queue.isPending}
              onClick={() =>
                queue.mutate(chosen, {
                  onSuccess: (queued) => {
                    notifySuccess(g.queued(queued.queued.length));
                    setSelected(new Set());
                  },
                })
              }
            >
              {g.queue}
            </Button>
            <Button size="xs" variant="light" color="red" onClick={() => setDialog({ kind: "delete", ids: chosen })}>
              {g.deleteSelected}
            </Button>
          </Group>
        ) : null}
      </Group>
      {ideas.isPending ? (
        <Loading />
      ) : ideas.isError ? (
        <LoadError title={g.loadFailed} error={ideas.error} onRetry={() => void ideas.refetch()} />
      ) : list.length === 0 ? (
        <Paper withBorder p="lg" radius="md" data-testid="ideas-empty">
          <Text fw={500}>{g.empty}</Text>
          {canWrite ? (
            <Text size="sm" c="dimmed">
              {g.emptyHint}
            </Text>
          ) : null}
        </Paper>
      ) : (
        <Table aria-label={g.table} data-testid="ideas-table" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              {canWrite ? <Table.Th scope="col" w={40}>{t.planner.selectColumn}</Table.Th> : null}
              <Table.Th scope="col">{g.ideaTitle}</Table.Th>
              <Table.Th scope="col">{g.cluster}</Table.Th>
              <Table.Th scope="col">{g.structure}</Table.Th>
              <Table.Th scope="col">{g.contentType}</Table.Th>
              <Table.Th scope="col">{g.words}</Table.Th>
              <Table.Th scope="col">{g.statusLabel}</Table.Th>
              {canWrite ? <Table.Th scope="col">{g.actions}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((idea) => (
              <IdeaRow
                key={idea.id}
                idea={idea}
                canWrite={canWrite}
                selected={selected.has(idea.id)}
                onSelect={(on) => select(idea.id, on)}
                open={setDialog}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {ideas.data && ideas.data.count > LIST_PAGE ? (
        <Pagination
          total={Math.ceil(ideas.data.count / LIST_PAGE)}
          value={page}
          onChange={setPage}
          getControlProps={(control) => ({ "aria-label": t.planner.pageControl[control] })}
        />
      ) : null}
      {dialog?.kind === "generate" ? (
        <PlannerModal title={g.generateTitle} onClose={close} size="lg">
          <GenerateIdeas clusters={clusters.data?.results ?? []} onClose={close} />
        </PlannerModal>
      ) : dialog?.kind === "edit" ? (
        <PlannerModal title={g.editTitle} onClose={close} size="lg">
          <IdeaForm idea={dialog.idea} onDone={close} />
        </PlannerModal>
      ) : dialog?.kind === "delete" ? (
        <PlannerModal title={g.deleteSelected} onClose={close}>
          <ConfirmDelete
            text={g.confirmDelete(dialog.ids.length)}
            busy={remove.isPending}
            onCancel={close}
            onConfirm={() =>
              remove.mutate(dialog.ids, {
                onSuccess: (n) => {
                  notifySuccess(g.deleted(n));
                  setSelected(new Set());
                  close();
                },
              })
            }
          />
        </PlannerModal>
      ) : null}
    </Stack>
  );
}

/** Planner → Ideas of the chosen sector: list, edit, delete, generate from clusters (the cost
 * shown first), queue to the writer. */
export function IdeasPage() {
  const [dialog, setDialog] = useState<Dialog>(null);
  return (
    <PlannerFrame
      title={t.planner.ideas.title}
      intro={t.planner.ideas.intro}
      actions={<Button onClick={() => setDialog({ kind: "generate" })}>{t.planner.ideas.generate}</Button>}
    >
      {({ sectorId, canWrite }) => <Ideas key={sectorId} sectorId={sectorId} canWrite={canWrite} dialog={dialog} setDialog={setDialog} />}
    </PlannerFrame>
  );
}
