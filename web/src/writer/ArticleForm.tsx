import { Button, Group, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { notifySuccess } from "../shell/notify";
import { useContentMutations, type Content, type ContentEdit } from "./api";
import { RichTextEditor } from "./editor/RichTextEditor";
import type { ResolveSrc } from "./editor/extensions";
import { useCanWrite } from "./PageFrame";

const FIELDS = ["title", "html"] as const;

/** The title and the body; Save sends what changed (a new version), and the API's field
 * errors show next to their fields. `onTitle` follows the title as it is typed. */
export function ArticleForm({ content, resolveSrc, onTitle }: { content: Content; resolveSrc: ResolveSrc; onTitle: (title: string) => void }) {
  const canWrite = useCanWrite();
  const { save } = useContentMutations(content.id);
  const [title, setTitle] = useState(content.title);
  const [html, setHtml] = useState<string | null>(null);
  const [baseline, setBaseline] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(null);
  const changes: ContentEdit = {};
  if (title !== content.title) changes.title = title;
  if (html !== null && html !== baseline) changes.html = html;
  const dirty = Object.keys(changes).length > 0;

  const submit = async (event: React.SyntheticEvent) => {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    if (!dirty) {
      notifySuccess(t.writer.unchanged);
      return;
    }
    try {
      const saved = await save.mutateAsync(changes);
      notifySuccess(t.writer.saved(saved.version));
    } catch (error) {
      const { fieldErrors, formError: message } = formErrorsOf(error, FIELDS);
      setErrors(fieldErrors);
      if (message) setFormError({ message, requestId: error instanceof ApiError ? error.requestId : null });
    }
  };

  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={(event) => void submit(event)} noValidate aria-label={t.writer.editorTitle}>
        <Stack gap="md">
          <FormAlert message={formError?.message ?? null} requestId={formError?.requestId ?? null} />
          <TextInput
            label={t.writer.title}
            required
            readOnly={!canWrite}
            value={title}
            error={errors.title}
            onChange={(event) => {
              setTitle(event.currentTarget.value);
              onTitle(event.currentTarget.value);
            }}
          />
          <RichTextEditor
            label={t.writer.body}
            initialHtml={content.html}
            resolveSrc={resolveSrc}
            readOnly={!canWrite}
            error={errors.html}
            onReady={setBaseline}
            onChange={setHtml}
          />
          {canWrite ? (
            <Group justify="flex-end">
              {dirty ? (
                <Text size="sm" c="dimmed" aria-live="polite">
                  {t.writer.unsaved}
                </Text>
              ) : null}
              <Button type="submit" loading={save.isPending}>
                {t.writer.save}
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}
