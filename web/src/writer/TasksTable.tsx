import { Badge, Table, Text } from "@mantine/core";

import { t } from "../i18n/strings";
import { ArticleLink } from "./ArticleLink";
import type { Task, TaskStatus } from "./api";
import { SelectAll, SelectRow, type Selection } from "./selection";

// Only the colours whose light badges meet 4.5:1 (shell/overrides.css); the text says the status.
const STATUS_COLOR: Record<TaskStatus, string> = {
  queued: "gray",
  in_progress: "blue",
  draft: "gray",
  review: "blue",
  published: "green",
  completed: "green",
  failed: "red",
  cancelled: "gray",
};

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  return (
    <Badge variant="light" color={STATUS_COLOR[status]}>
      {t.writer.taskStatus[status]}
    </Badge>
  );
}

export function TasksTable({ tasks, selection }: { tasks: Task[]; selection: Selection | null }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table data-testid="tasks-table" aria-label={t.writer.tasksTitle}>
        <Table.Thead>
          <Table.Tr>
            {selection ? (
              <Table.Th scope="col" w={40}>
                <SelectAll selection={selection} ids={tasks.map((task) => task.id)} />
              </Table.Th>
            ) : null}
            <Table.Th scope="col">{t.writer.title}</Table.Th>
            <Table.Th scope="col">{t.writer.cluster}</Table.Th>
            <Table.Th scope="col">{t.writer.status}</Table.Th>
            <Table.Th scope="col">{t.writer.wordCount}</Table.Th>
            <Table.Th scope="col">{t.writer.article}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr key={task.id}>
              {selection ? (
                <Table.Td>
                  <SelectRow selection={selection} id={task.id} name={task.title} />
                </Table.Td>
              ) : null}
              <Table.Td>
                <Text size="sm" fw={500}>
                  {task.title}
                </Text>
                {task.keywords.length > 0 ? (
                  <Text size="xs" c="dimmed">
                    {task.keywords.map((k) => k.keyword).join(", ")}
                  </Text>
                ) : null}
                {task.status === "failed" && task.error ? (
                  <Text size="xs" c="red.8">
                    {t.writer.taskError(task.error)}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{task.cluster_name || "–"}</Table.Td>
              <Table.Td>
                <TaskStatusBadge status={task.status} />
              </Table.Td>
              <Table.Td>{task.word_count.toLocaleString()}</Table.Td>
              <Table.Td>
                {task.content_id ? (
                  <ArticleLink contentId={task.content_id} label={t.writer.openArticle(task.title)}>
                    {t.writer.article}
                  </ArticleLink>
                ) : (
                  "–"
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
