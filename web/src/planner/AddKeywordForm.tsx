import { Button, Group, NativeSelect, NumberInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { KEYWORD_INTENTS, useKeywordMutations, type Keyword, type KeywordIntent } from "./api";

const FIELDS = ["keyword", "volume", "difficulty", "cpc", "intent"] as const;

interface Values {
  keyword: string;
  volume: number | "";
  difficulty: number | "";
  cpc: string;
  intent: KeywordIntent | "";
}

/** A new keyword in the chosen sector; the API's field errors show next to their fields. */
export function AddKeywordForm({
  siteId,
  sectorId,
  onDone,
  onCancel,
}: {
  siteId: string;
  sectorId: string;
  onDone: (keyword: Keyword) => void;
  onCancel: () => void;
}) {
  const { create } = useKeywordMutations();
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(null);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: { keyword: "", volume: "", difficulty: "", cpc: "", intent: "" },
    validate: { keyword: (value) => (value.trim() === "" ? t.auth.required : null) },
  });
  const k = t.planner.keywords;

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const created = await create.mutateAsync({
        site_id: siteId,
        sector_id: sectorId,
        keyword: values.keyword.trim(),
        volume: values.volume === "" ? null : values.volume,
        difficulty: values.difficulty === "" ? null : values.difficulty,
        cpc: values.cpc.trim() === "" ? null : values.cpc.trim(),
        intent: values.intent === "" ? null : values.intent,
        status: "pending",
      });
      onDone(created);
    } catch (error) {
      const { fieldErrors, formError: message } = formErrorsOf(error, FIELDS);
      form.setErrors(fieldErrors);
      if (message) setFormError({ message, requestId: error instanceof ApiError ? error.requestId : null });
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={formError?.message ?? null} requestId={formError?.requestId ?? null} />
        <TextInput label={k.keyword} required data-autofocus {...form.getInputProps("keyword")} />
        <Group grow>
          <NumberInput label={k.volume} min={0} {...form.getInputProps("volume")} />
          <NumberInput label={k.difficulty} min={0} max={100} {...form.getInputProps("difficulty")} />
        </Group>
        <Group grow>
          <TextInput label={k.cpc} inputMode="decimal" {...form.getInputProps("cpc")} />
          <NativeSelect
            label={k.intentLabel}
            data={[{ value: "", label: t.planner.none }, ...KEYWORD_INTENTS.map((i) => ({ value: i, label: t.planner.intent[i] }))]}
            {...form.getInputProps("intent")}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t.planner.cancel}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {k.add}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
