import { Badge, Button, Group } from "@mantine/core";

import { t } from "../i18n/strings";
import { notifySuccess } from "../shell/notify";
import { useContentMutations, type Content, type ReviewStatus } from "./api";
import { useCanWrite } from "./PageFrame";

/** The review workflow's moves from each status (the writer's: draft → review → approved, or
 * back to draft); the API refuses any other with a 409. */
const MOVES: Partial<Record<Content["status"], ReviewStatus[]>> = {
  draft: ["review"],
  review: ["approved", "draft"],
  approved: ["draft"],
  scheduled: ["draft"],
  archived: ["draft"],
};

const LABEL: Record<ReviewStatus, string> = {
  review: t.writer.submitForReview,
  approved: t.writer.approve,
  draft: t.writer.backToDraft,
  archived: t.writer.contentStatus.archived,
};

export function ReviewActions({ content }: { content: Content }) {
  const canWrite = useCanWrite();
  const { move } = useContentMutations(content.id);
  const moves = canWrite ? (MOVES[content.status] ?? []) : [];
  return (
    <Group gap="xs" role="group" aria-label={t.writer.review}>
      <Badge size="lg" variant="light" data-testid="content-status">
        {t.writer.currentStatus(t.writer.contentStatus[content.status])}
      </Badge>
      {moves.map((status) => (
        <Button
          key={status}
          size="xs"
          variant={status === "draft" ? "default" : "filled"}
          loading={move.isPending && move.variables === status}
          onClick={() =>
            move.mutate(status, {
              onSuccess: (moved) => notifySuccess(t.writer.statusChanged(t.writer.contentStatus[moved.status])),
            })
          }
        >
          {LABEL[status]}
        </Button>
      ))}
    </Group>
  );
}
