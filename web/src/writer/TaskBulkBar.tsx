import { Button, Group, NativeSelect, Paper, Text } from "@mantine/core";
import { useState } from "react";

import { t } from "../i18n/strings";
import { notifySuccess } from "../shell/notify";
import { useTaskMutations, type TaskStatus } from "./api";
import { TASK_STATUSES } from "./options";

export type TaskAction = "articles" | "images" | "delete";

/** What can be done with the selected tasks (only shown to roles that write). */
export function TaskBulkBar({ ids, onAction }: { ids: string[]; onAction: (action: TaskAction) => void }) {
  const { setStatus } = useTaskMutations();
  const [status, setStatusValue] = useState<TaskStatus>("queued");
  const none = ids.length === 0;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="task-bulk-bar">
      <Group justify="space-between">
        <Text size="sm" aria-live="polite">
          {t.writer.selected(ids.length)}
        </Text>
        <Group gap="xs" align="flex-end">
          <Button size="xs" disabled={none} onClick={() => onAction("articles")}>
            {t.writer.generateArticles}
          </Button>
          <Button size="xs" disabled={none} onClick={() => onAction("images")}>
            {t.writer.generateImages}
          </Button>
          <NativeSelect
            size="xs"
            label={t.writer.setStatusTo}
            value={status}
            onChange={(event) => setStatusValue(event.currentTarget.value as TaskStatus)}
            data={TASK_STATUSES}
          />
          <Button
            size="xs"
            variant="light"
            disabled={none}
            loading={setStatus.isPending}
            onClick={() =>
              setStatus.mutate({ ids, status }, { onSuccess: (done) => notifySuccess(t.writer.tasksUpdated(done.updated_count)) })
            }
          >
            {t.writer.setStatus}
          </Button>
          <Button size="xs" variant="light" color="red" disabled={none} onClick={() => onAction("delete")}>
            {t.writer.delete}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
