import { Group, Stack, Switch, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";

import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { useAuthorProfileMutations, type AuthorProfile } from "./api";
import { FormButtons } from "./FormButtons";
import { useApiErrors } from "./useApiErrors";

const FIELDS = ["name", "description", "tone", "language", "structure_template", "is_active"] as const;

interface Values {
  name: string;
  description: string;
  tone: string;
  language: string;
  structure_template: string;
  is_active: boolean;
}

/** The structure template as typed: an object, or why not. */
function parseStructure(text: string): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === "") return { value: {} };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { error: t.settings.jsonObject };
    return { value: parsed as Record<string, unknown> };
  } catch {
    return { error: t.settings.invalidJson };
  }
}

/** Create an author profile, or edit one (`profile` given); the API's field errors at their fields. */
export function AuthorForm({
  profile,
  onDone,
  onCancel,
}: {
  profile?: AuthorProfile;
  onDone: (profile: AuthorProfile) => void;
  onCancel: () => void;
}) {
  const { create, update } = useAuthorProfileMutations();
  const errors = useApiErrors(FIELDS);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: {
      name: profile?.name ?? "",
      description: profile?.description ?? "",
      tone: profile?.tone ?? "professional",
      language: profile?.language ?? "en",
      structure_template:
        profile && Object.keys(profile.structure_template).length > 0 ? JSON.stringify(profile.structure_template, null, 2) : "",
      is_active: profile?.is_active ?? true,
    },
    validate: {
      name: (value) => (value.trim() === "" ? t.settings.required : null),
      structure_template: (value) => {
        const parsed = parseStructure(value);
        return "error" in parsed ? parsed.error : null;
      },
    },
  });

  const submit = form.onSubmit(async (values) => {
    errors.clear();
    const structure = parseStructure(values.structure_template);
    const fields = {
      name: values.name.trim(),
      description: values.description,
      tone: values.tone.trim(),
      language: values.language.trim(),
      structure_template: "value" in structure ? structure.value : {},
      is_active: values.is_active,
    };
    try {
      onDone(profile ? await update.mutateAsync({ id: profile.id, changes: fields }) : await create.mutateAsync(fields));
    } catch (error) {
      errors.show(error, form.setErrors);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={errors.problem?.message ?? null} requestId={errors.problem?.requestId ?? null} />
        <TextInput label={t.settings.name} required data-autofocus {...form.getInputProps("name")} />
        <Textarea label={t.settings.description} rows={3} resize="vertical" {...form.getInputProps("description")} />
        <Group grow align="flex-start">
          <TextInput label={t.settings.tone} description={t.settings.toneHint} {...form.getInputProps("tone")} />
          <TextInput label={t.settings.language} description={t.settings.languageHint} {...form.getInputProps("language")} />
        </Group>
        <Textarea
          label={t.settings.structureTemplate}
          description={t.settings.structureHint}
          rows={4}
          resize="vertical"
          spellCheck={false}
          {...form.getInputProps("structure_template")}
        />
        <Switch label={t.settings.active} {...form.getInputProps("is_active", { type: "checkbox" })} />
        <FormButtons submit={profile ? t.settings.save : t.settings.create} busy={form.submitting} onCancel={onCancel} />
      </Stack>
    </form>
  );
}
