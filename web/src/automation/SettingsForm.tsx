import { Button, Fieldset, Group, NumberInput, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { can } from "../auth/permissions";
import type { Role } from "../auth/session";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { notifySuccess } from "../shell/notify";
import { type AutomationConfig, type AutomationSettings, useAutomationMutations } from "./api";

type Values = Omit<AutomationSettings, "schedule"> & { schedule: string };

const FIELDS = [
  "is_active",
  "schedule",
  "timezone",
  "cluster_limit",
  "ideas_limit",
  "content_limit",
  "images_limit",
  "publish_limit",
  "in_article_images",
  "delay_seconds",
  "max_run_minutes",
  "auto_approve",
  "auto_publish",
  "stop_on_error",
] as const;

const NUMBERS = [
  ["cluster_limit", t.automation.clusterLimit],
  ["ideas_limit", t.automation.ideasLimit],
  ["content_limit", t.automation.contentLimit],
  ["images_limit", t.automation.imagesLimit],
  ["publish_limit", t.automation.publishLimit],
  ["in_article_images", t.automation.inArticleImages],
  ["delay_seconds", t.automation.delaySeconds],
  ["max_run_minutes", t.automation.maxRunMinutes],
] as const;

const SWITCHES = [
  ["auto_approve", t.automation.autoApprove],
  ["auto_publish", t.automation.autoPublish],
  ["stop_on_error", t.automation.stopOnError],
] as const;

function valuesOf(config: AutomationConfig): Values {
  return {
    is_active: config.is_active,
    schedule: config.schedule ?? "",
    timezone: config.timezone,
    cluster_limit: config.cluster_limit,
    ideas_limit: config.ideas_limit,
    content_limit: config.content_limit,
    images_limit: config.images_limit,
    publish_limit: config.publish_limit,
    in_article_images: config.in_article_images,
    delay_seconds: config.delay_seconds,
    max_run_minutes: config.max_run_minutes,
    auto_approve: config.auto_approve,
    auto_publish: config.auto_publish,
    stop_on_error: config.stop_on_error,
  };
}

/** The site's automation settings; read-only for roles that may not configure. The API's
 * field errors (a bad cron expression, a limit out of range) show next to their fields. */
export function SettingsForm({ siteId, config, role }: { siteId: string; config: AutomationConfig; role: Role }) {
  const { save } = useAutomationMutations(siteId);
  const editable = can.manageSites(role);
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(null);
  const form = useForm<Values>({ mode: "controlled", initialValues: valuesOf(config) });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const schedule = values.schedule.trim();
    try {
      const saved = await save.mutateAsync({ ...values, schedule: schedule === "" ? null : schedule });
      form.setValues(valuesOf(saved));
      form.resetDirty(valuesOf(saved));
      notifySuccess(t.automation.saved);
    } catch (error) {
      const { fieldErrors, formError: message } = formErrorsOf(error, FIELDS);
      form.setErrors(fieldErrors);
      if (message) setFormError({ message, requestId: error instanceof ApiError ? error.requestId : null });
    }
  });

  const nextRun = save.data?.next_run_at ?? config.next_run_at;
  return (
    <form onSubmit={submit} noValidate aria-label={t.automation.settings}>
      <Stack gap="md">
        {editable ? null : (
          <Text size="sm" c="dimmed">
            {t.automation.readOnlySettings}
          </Text>
        )}
        <FormAlert message={formError?.message ?? null} requestId={formError?.requestId ?? null} />
        {/* No responsive grid here: Mantine writes those as <style> elements, which the CSP refuses. */}
        <Fieldset variant="unstyled" disabled={!editable} p={0}>
          <Stack gap="md">
            <Switch label={t.automation.isActive} {...form.getInputProps("is_active", { type: "checkbox" })} />
            <Group grow align="flex-start" wrap="wrap">
              <TextInput
                label={t.automation.schedule}
                description={t.automation.scheduleHint}
                {...form.getInputProps("schedule")}
              />
              <TextInput
                label={t.automation.timezone}
                description={t.automation.timezoneHint}
                {...form.getInputProps("timezone")}
              />
            </Group>
            <Text size="sm" data-testid="next-run">
              {nextRun ? t.automation.nextRun(new Date(nextRun).toLocaleString()) : t.automation.noNextRun}
            </Text>
            <Text fw={500} size="sm">
              {t.automation.limits}
            </Text>
            <Group grow align="flex-start" wrap="wrap">
              {NUMBERS.map(([field, label]) => (
                <NumberInput key={field} label={label} allowDecimal={false} {...form.getInputProps(field)} />
              ))}
            </Group>
            {SWITCHES.map(([field, label]) => (
              <Switch key={field} label={label} {...form.getInputProps(field, { type: "checkbox" })} />
            ))}
          </Stack>
        </Fieldset>
        {editable ? (
          <Group justify="flex-end">
            <Button type="submit" loading={form.submitting}>
              {t.automation.save}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}
