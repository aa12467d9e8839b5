import { Button, Group, NativeSelect, NumberInput, Stack, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { clustersQuery, useTaskMutations, type NewTask, type Task } from "./api";
import { CONTENT_TYPES, STRUCTURES } from "./options";

const FIELDS = ["title", "description", "keywords", "cluster_id", "content_type", "content_structure", "word_count"] as const;

interface Values {
  title: string;
  description: string;
  keywords: string;
  cluster_id: string;
  content_type: NonNullable<NewTask["content_type"]>;
  content_structure: NonNullable<NewTask["content_structure"]>;
  word_count: number | string;
}

/** A task made by hand in the chosen sector; the API's field errors show next to their fields. */
export function TaskForm({
  siteId,
  sectorId,
  onDone,
  onCancel,
}: {
  siteId: string;
  sectorId: string;
  onDone: (task: Task) => void;
  onCancel: () => void;
}) {
  const { create } = useTaskMutations();
  const clusters = useQuery(clustersQuery(siteId, sectorId));
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(null);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: {
      title: "",
      description: "",
      keywords: "",
      cluster_id: "",
      content_type: "blog_post",
      content_structure: "supporting_page",
      word_count: 1200,
    },
    validate: { title: (value) => (value.trim() === "" ? t.auth.required : null) },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const task = await create.mutateAsync({
        site_id: siteId,
        sector_id: sectorId,
        title: values.title.trim(),
        description: values.description,
        keywords: values.keywords
          .split(",")
          .map((k) => k.trim())
          .filter(Boolean),
        cluster_id: values.cluster_id || null,
        content_type: values.content_type,
        content_structure: values.content_structure,
        word_count: Number(values.word_count),
        status: "queued",
      });
      onDone(task);
    } catch (error) {
      const { fieldErrors, formError: message } = formErrorsOf(error, FIELDS);
      form.setErrors(fieldErrors);
      if (message) setFormError({ message, requestId: error instanceof ApiError ? error.requestId : null });
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormAlert message={formError?.message ?? null} requestId={formError?.requestId ?? null} />
        <TextInput label={t.writer.title} required data-autofocus {...form.getInputProps("title")} />
        <Textarea label={t.writer.description} minRows={2} {...form.getInputProps("description")} />
        <TextInput label={t.writer.keywords} description={t.writer.keywordsHint} {...form.getInputProps("keywords")} />
        <NativeSelect
          label={t.writer.cluster}
          data={[{ value: "", label: t.writer.noCluster }, ...(clusters.data ?? []).map((c) => ({ value: c.id, label: c.name }))]}
          {...form.getInputProps("cluster_id")}
        />
        <Group grow>
          <NativeSelect label={t.writer.contentType} data={CONTENT_TYPES} {...form.getInputProps("content_type")} />
          <NativeSelect label={t.writer.structure} data={STRUCTURES} {...form.getInputProps("content_structure")} />
        </Group>
        <NumberInput label={t.writer.wordCountLabel} min={100} step={100} clampBehavior="none" {...form.getInputProps("word_count")} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t.writer.cancel}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {t.writer.createTask}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
