import { Badge, Button, Card, Group, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";

import { t } from "../i18n/strings";
import { ArticleLink } from "./ArticleLink";
import type { Image } from "./api";
import { OperationDialog } from "./OperationDialog";
import { useCanWrite } from "./PageFrame";
import classes from "./writer.module.css";

function RegenerateDialog({ image, onClose }: { image: Image; onClose: () => void }) {
  const [prompt, setPrompt] = useState(image.prompt);
  return (
    <OperationDialog
      title={t.writer.regenerateTitle}
      estimate={{ kind: "regenerate", imageId: image.id }}
      request={() => ({ kind: "regenerate", imageId: image.id, prompt: prompt.trim() && prompt.trim() !== image.prompt ? prompt.trim() : null })}
      progressLabel={t.writer.regenerating}
      onClose={onClose}
    >
      <Textarea label={t.writer.newPrompt} value={prompt} onChange={(e) => setPrompt(e.currentTarget.value)} minRows={3} maxLength={3000} />
    </OperationDialog>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" fw={600}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}

/** One image: the picture (through its signed link), where it goes, its prompt, alt text and
 * caption, and regenerating it with a new prompt. */
export function ImageCard({ image, showArticle = false }: { image: Image; showArticle?: boolean }) {
  const canWrite = useCanWrite();
  const [regenerating, setRegenerating] = useState(false);
  const role = t.writer.roles[image.role];
  return (
    <Card withBorder padding="sm" radius="md" data-testid="image-card" data-role={image.role}>
      <Stack gap="xs">
        <img key={image.checksum} className={classes.thumb} src={image.file_url} alt={t.writer.imageOf(image.alt_text)} loading="lazy" />
        <Group justify="space-between">
          <Badge variant="light">{t.writer.placeOf(role, image.position)}</Badge>
          {showArticle && image.content_id ? (
            <ArticleLink contentId={image.content_id}>{t.writer.article}</ArticleLink>
          ) : null}
        </Group>
        <Field label={t.writer.prompt} value={image.prompt} />
        <Field label={t.writer.altText} value={image.alt_text} />
        <Field label={t.writer.caption} value={image.caption || t.writer.noCaption} />
        {canWrite ? (
          <Button size="xs" variant="light" onClick={() => setRegenerating(true)}>
            {t.writer.regenerate}
          </Button>
        ) : null}
      </Stack>
      {regenerating ? <RegenerateDialog image={image} onClose={() => setRegenerating(false)} /> : null}
    </Card>
  );
}
