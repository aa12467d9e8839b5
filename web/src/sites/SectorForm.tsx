import { Button, Group, Stack, Switch, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { useSectorMutations, type Sector } from "./api";

const FIELDS = ["name", "is_active"] as const;

interface Values {
  name: string;
  is_active: boolean;
}

/** Add a sector to `siteId`, or edit one (`sector` given). */
export function SectorForm({
  siteId,
  sector,
  onDone,
  onCancel,
}: {
  siteId: string;
  sector?: Sector;
  onDone: (sector: Sector) => void;
  onCancel: () => void;
}) {
  const { create, update } = useSectorMutations(siteId);
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(null);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: { name: sector?.name ?? "", is_active: sector?.is_active ?? true },
    validate: { name: (value) => (value.trim() === "" ? t.auth.required : null) },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const saved = sector
        ? await update.mutateAsync({ id: sector.id, changes: { name: values.name.trim(), is_active: values.is_active } })
        : await create.mutateAsync({ site_id: siteId, name: values.name.trim() });
      onDone(saved);
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
        <TextInput label={t.sites.sectorName} required data-autofocus {...form.getInputProps("name")} />
        {sector ? <Switch label={t.sites.active} {...form.getInputProps("is_active", { type: "checkbox" })} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t.sites.cancel}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {sector ? t.sites.save : t.sites.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
