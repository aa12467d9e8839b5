import { Button, Modal, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import type { Sector, Site } from "../sites/api";
import { notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { PAGE_SIZE, tasksQuery, useTaskMutations } from "./api";
import { ConfirmDialog } from "./Confirm";
import { GenerateArticlesDialog, GenerateImagesDialog } from "./GenerateDialogs";
import { PageFrame, useCanWrite } from "./PageFrame";
import { Paged } from "./Paged";
import { useSelection } from "./selection";
import { TaskBulkBar, type TaskAction } from "./TaskBulkBar";
import { TaskFilters, type TaskFilterValues } from "./TaskFilters";
import { TaskForm } from "./TaskForm";
import { TasksTable } from "./TasksTable";

type Dialog = TaskAction | "new" | null;

function Tasks({ site, sector, creating, onCreated }: { site: Site; sector: Sector; creating: boolean; onCreated: () => void }) {
  const canWrite = useCanWrite();
  const [filters, setFilters] = useState<TaskFilterValues>({ status: "", clusterId: "", search: "" });
  const [search] = useDebouncedValue(filters.search.trim(), 300);
  const [page, setPage] = useState(1);
  const selection = useSelection();
  const [dialog, setDialog] = useState<Dialog>(null);
  const { remove } = useTaskMutations();
  const tasks = useQuery(
    tasksQuery({
      site_id: site.id,
      sector_id: sector.id,
      status: filters.status || undefined,
      cluster_id: filters.clusterId || undefined,
      search: search || undefined,
      page,
      page_size: PAGE_SIZE,
    }),
  );
  const close = () => setDialog(null);
  const shown = creating ? "new" : dialog;

  return (
    <Stack gap="md">
      <TaskFilters
        siteId={site.id}
        sectorId={sector.id}
        value={filters}
        onChange={(next) => {
          setFilters(next);
          setPage(1);
        }}
      />
      {canWrite ? <TaskBulkBar ids={selection.ids} onAction={setDialog} /> : null}
      {tasks.isPending ? (
        <Loading />
      ) : tasks.isError ? (
        <LoadError title={t.writer.tasksLoadFailed} error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : tasks.data.results.length === 0 ? (
        <div>
          <Text size="sm">{t.writer.tasksEmpty}</Text>
          <Text size="sm" c="dimmed">
            {t.writer.tasksEmptyHint}
          </Text>
        </div>
      ) : (
        <>
          <TasksTable tasks={tasks.data.results} selection={canWrite ? selection : null} />
          <Paged page={page} count={tasks.data.count} shown={tasks.data.results.length} onPage={setPage} />
        </>
      )}
      {shown === "new" ? (
        <Modal opened onClose={onCreated} title={t.writer.newTask} centered lockScroll={false} closeButtonProps={{ "aria-label": t.writer.close }}>
          <TaskForm
            siteId={site.id}
            sectorId={sector.id}
            onCancel={onCreated}
            onDone={(task) => {
              notifySuccess(t.writer.taskCreated(task.title));
              onCreated();
            }}
          />
        </Modal>
      ) : shown === "articles" ? (
        <GenerateArticlesDialog taskIds={selection.ids} onClose={close} />
      ) : shown === "images" ? (
        <GenerateImagesDialog taskIds={selection.ids} onClose={close} />
      ) : shown === "delete" ? (
        <ConfirmDialog
          title={t.writer.deleteTasks}
          text={t.writer.confirmDeleteTasks(selection.ids.length)}
          confirm={t.writer.delete}
          busy={remove.isPending}
          onClose={close}
          onConfirm={() =>
            remove.mutate(selection.ids, {
              onSuccess: (done) => {
                notifySuccess(t.writer.tasksDeleted(done.deleted_count));
                selection.clear();
                close();
              },
            })
          }
        />
      ) : null}
    </Stack>
  );
}

export function TasksPage() {
  const canWrite = useCanWrite();
  const [creating, setCreating] = useState(false);
  return (
    <PageFrame
      title={t.writer.tasksTitle}
      intro={t.writer.tasksIntro}
      actions={canWrite ? <Button onClick={() => setCreating(true)}>{t.writer.newTask}</Button> : null}
    >
      {({ site, sector }) => (
        <Tasks key={sector.id} site={site} sector={sector} creating={creating} onCreated={() => setCreating(false)} />
      )}
    </PageFrame>
  );
}
