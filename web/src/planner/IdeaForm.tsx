import { Button, Group, NativeSelect, NumberInput, Stack, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { notifySuccess } from "../shell/notify";
import { useIdeaMutations, type Idea } from "./api";

const FIELDS = ["title", "description", "content_structure", "content_type", "target_keywords", "estimated_word_count", "status"] as const;
type Structure = Idea["content_structure"];
type ContentType = Idea["content_type"];
type Status = Idea["status"];

interface Values {
  title: string;
  description: string;
  content_structure: Structure;
  content_type: ContentType;
  target_keywords: string;
  estimated_word_count: number | "";
  status: Status;
}

const options = <K extends string>(labels: Record<K, string>) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));

/** Change an idea; the API's field errors show by their fields. */
export function IdeaForm({ idea, onDone }: { idea: Idea; onDone: () => void }) {
  const { update } = useIdeaMutations();
  const [problem, setProblem] = useState<{ message: string; requestId: string | null } | null>(null);
  const g = t.planner.ideas;
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: {
      title: idea.title,
      description: idea.description,
      content_structure: idea.content_structure,
      content_type: idea.content_type,
      target_keywords: idea.target_keywords.map((k) => k.keyword).join("\n"),
      estimated_word_count: idea.estimated_word_count,
      status: idea.status,
    },
    validate: { title: (value) => (value.trim() === "" ? t.auth.required : null) },
  });
  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      await update.mutateAsync({
        id: idea.id,
        changes: {
          title: values.title.trim(),
          description: values.description,
          content_structure: values.content_structure,
          content_type: values.content_type,
          target_keywords: values.target_keywords.split("\n").map((k) => k.trim()).filter(Boolean),
          estimated_word_count: values.estimated_word_count === "" ? 0 : values.estimated_word_count,
          status: values.status,
        },
      });
      notifySuccess(g.saved);
      onDone();
    } catch (error) {
      const { fieldErrors, formError } = formErrorsOf(error, FIELDS);
      form.setErrors(fieldErrors);
      if (formError) setProblem({ message: formError, requestId: error instanceof ApiError ? error.requestId : null });
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={problem?.message ?? null} requestId={problem?.requestId ?? null} />
        <TextInput label={g.ideaTitle} required data-autofocus {...form.getInputProps("title")} />
        <Textarea label={g.description} autosize minRows={3} maxRows={10} {...form.getInputProps("description")} />
        <Group grow>
          <NativeSelect label={g.structure} data={options(g.structures)} {...form.getInputProps("content_structure")} />
          <NativeSelect label={g.contentType} data={options(g.contentTypes)} {...form.getInputProps("content_type")} />
        </Group>
        <Group grow>
          <NumberInput label={g.words} min={0} {...form.getInputProps("estimated_word_count")} />
          <NativeSelect label={g.statusLabel} data={options(g.status)} {...form.getInputProps("status")} />
        </Group>
        <Textarea label={g.targetKeywords} description={g.targetKeywordsHint} autosize minRows={2} {...form.getInputProps("target_keywords")} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t.planner.cancel}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {t.planner.save}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
