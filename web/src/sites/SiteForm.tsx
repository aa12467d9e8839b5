import { Button, Group, Stack, Switch, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { useSiteMutations, type Site } from "./api";

const FIELDS = ["name", "domain", "is_active"] as const;

interface Values {
  name: string;
  domain: string;
  is_active: boolean;
}

/** Create a site, or edit one (`site` given). The API's field errors show next to their fields. */
export function SiteForm({ site, onDone, onCancel }: { site?: Site; onDone: (site: Site) => void; onCancel: () => void }) {
  const { create, update } = useSiteMutations();
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(null);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: { name: site?.name ?? "", domain: site?.domain ?? "", is_active: site?.is_active ?? true },
    validate: { name: (value) => (value.trim() === "" ? t.auth.required : null) },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const domain = values.domain.trim();
    try {
      const saved = site
        ? await update.mutateAsync({
            id: site.id,
            changes: { name: values.name.trim(), domain: domain || null, is_active: values.is_active },
          })
        : await create.mutateAsync({ name: values.name.trim(), domain: domain || null });
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
        <TextInput label={t.sites.name} required data-autofocus {...form.getInputProps("name")} />
        <TextInput label={t.sites.domain} description={t.sites.domainHint} {...form.getInputProps("domain")} />
        {site ? <Switch label={t.sites.active} {...form.getInputProps("is_active", { type: "checkbox" })} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t.sites.cancel}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {site ? t.sites.save : t.sites.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
