import { Alert, Badge, Button, Group, NativeSelect, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { ConfirmDialog } from "../shell/ConfirmDialog";
import { FormAlert } from "../shell/FormAlert";
import { notifySuccess } from "../shell/notify";
import { PageHeader } from "../shell/PageHeader";
import { LoadError, Loading } from "../shell/QueryState";
import {
  aiSettingsQuery,
  useAiSettingsMutations,
  type AiConnectionReport,
  type AiSettings,
  type AiSettingsBody,
} from "./api";
import { SecretInput } from "./SecretInput";
import { useApiErrors } from "./useApiErrors";

const FIELDS = ["kind", "base_url", "model", "embedding_model", "image_model", "api_key"] as const;

interface Values {
  kind: AiSettingsBody["kind"];
  base_url: string;
  model: string;
  embedding_model: string;
  image_model: string;
  /** Write-only: always starts empty; empty keeps the stored key. */
  api_key: string;
}

const valuesOf = (settings: AiSettings): Values => ({
  kind: settings.kind,
  base_url: settings.base_url ?? "",
  model: settings.model,
  embedding_model: settings.embedding_model,
  image_model: settings.image_model,
  api_key: "",
});

function bodyOf(values: Values): AiSettingsBody {
  const models = {
    model: values.model.trim(),
    embedding_model: values.embedding_model.trim(),
    image_model: values.image_model.trim(),
  };
  if (values.kind === "offline") return { kind: "offline", ...models };
  return {
    kind: values.kind,
    base_url: values.base_url.trim() || null,
    ...models,
    ...(values.api_key === "" ? {} : { api_key: values.api_key }),
  };
}

function TestResult({ report }: { report: AiConnectionReport }) {
  return (
    <Alert
      color={report.ok ? "green" : "red"}
      title={report.ok ? t.settings.testOk : t.settings.testFailed}
      role="status"
      data-testid="ai-test-result"
    >
      <Text size="sm">{t.settings.testOutcome[report.outcome] ?? report.outcome}</Text>
      <Text size="sm">{report.message}</Text>
      {report.latency_ms !== null || report.model ? (
        <Text size="xs" c="dimmed">
          {[report.latency_ms !== null ? t.settings.latency(report.latency_ms) : null, report.model ? t.settings.testedModel(report.model) : null]
            .filter(Boolean)
            .join(" · ")}
        </Text>
      ) : null}
    </Alert>
  );
}

function KeyStatus({ settings }: { settings: AiSettings }) {
  return (
    <Group gap="xs">
      <Badge variant="light" color={settings.configured ? "blue" : "gray"}>
        {t.settings.providerKinds[settings.kind] ?? settings.kind}
      </Badge>
      <Badge variant="light" color={settings.api_key_set ? "green" : "gray"} data-testid="ai-key-status">
        {settings.api_key_set ? t.settings.keyStored : t.settings.keyNotStored}
      </Badge>
      {settings.updated_at ? (
        <Text size="xs" c="dimmed">
          {t.settings.updatedAt(new Date(settings.updated_at).toLocaleString())}
        </Text>
      ) : null}
    </Group>
  );
}

/** The provider form (owners and admins): save, test what the form holds, remove. */
function AiSettingsForm({ settings }: { settings: AiSettings }) {
  const { save, test, remove } = useAiSettingsMutations();
  const errors = useApiErrors(FIELDS);
  const [report, setReport] = useState<AiConnectionReport | null>(null);
  const [removing, setRemoving] = useState(false);
  const form = useForm<Values>({ mode: "controlled", initialValues: valuesOf(settings) });
  const external = form.values.kind !== "offline";

  const submit = form.onSubmit(async (values) => {
    errors.clear();
    setReport(null);
    try {
      const saved = await save.mutateAsync(bodyOf(values));
      // The key goes once, to the API; the form forgets it.
      form.setValues(valuesOf(saved));
      form.resetDirty(valuesOf(saved));
      notifySuccess(t.settings.aiSaved);
    } catch (error) {
      errors.show(error, form.setErrors);
    }
  });

  const runTest = async () => {
    errors.clear();
    form.clearErrors();
    setReport(null);
    try {
      setReport(await test.mutateAsync(bodyOf(form.getValues())));
    } catch (error) {
      errors.show(error, form.setErrors);
    }
  };

  const keyHint = settings.api_key_set ? t.settings.apiKeyHintStored(settings.api_key_last4 ?? null) : t.settings.apiKeyHintNone;

  return (
    <form onSubmit={submit} noValidate aria-label={t.settings.aiTitle}>
      <Stack gap="md">
        <FormAlert message={errors.problem?.message ?? null} requestId={errors.problem?.requestId ?? null} />
        <NativeSelect
          label={t.settings.provider}
          data={Object.entries(t.settings.providerKinds).map(([value, label]) => ({ value, label }))}
          {...form.getInputProps("kind")}
        />
        {external ? (
          <>
            <TextInput label={t.settings.baseUrl} description={t.settings.baseUrlHint} {...form.getInputProps("base_url")} />
            <SecretInput
              label={t.settings.apiKey}
              description={keyHint}
              autoComplete="off"
              data-testid="ai-key-input"
              {...form.getInputProps("api_key")}
            />
            <Group grow>
              <TextInput label={t.settings.model} {...form.getInputProps("model")} />
              <TextInput label={t.settings.embeddingModel} {...form.getInputProps("embedding_model")} />
              <TextInput label={t.settings.imageModel} {...form.getInputProps("image_model")} />
            </Group>
          </>
        ) : null}
        {report ? <TestResult report={report} /> : null}
        <Group justify="space-between">
          <Group gap="sm">
            <Button type="submit" loading={form.submitting}>
              {t.settings.saveAi}
            </Button>
            <Button variant="light" onClick={() => void runTest()} loading={test.isPending}>
              {t.settings.testConnection}
            </Button>
          </Group>
          {settings.configured ? (
            <Button variant="subtle" color="red" onClick={() => setRemoving(true)}>
              {t.settings.removeAi}
            </Button>
          ) : null}
        </Group>
      </Stack>
      {removing ? (
        <ConfirmDialog
          title={t.settings.removeAi}
          text={t.settings.confirmRemoveAi}
          confirm={t.settings.removeAi}
          busy={remove.isPending}
          error={remove.error}
          onCancel={() => setRemoving(false)}
          onConfirm={() =>
            remove.mutate(undefined, {
              onSuccess: (cleared) => {
                form.setValues(valuesOf(cleared));
                form.resetDirty(valuesOf(cleared));
                setReport(null);
                setRemoving(false);
                notifySuccess(t.settings.aiRemoved);
              },
            })
          }
        />
      ) : null}
    </form>
  );
}

function ReadOnlySettings({ settings }: { settings: AiSettings }) {
  return (
    <Stack gap="xs" data-testid="ai-read-only">
      <Text size="sm">
        {t.settings.provider}: {t.settings.providerKinds[settings.kind] ?? settings.kind}
      </Text>
      {settings.kind !== "offline" ? (
        <>
          <Text size="sm">
            {t.settings.baseUrl}: {settings.base_url ?? "–"}
          </Text>
          <Text size="sm">
            {t.settings.model}: {settings.model}
          </Text>
          <Text size="sm">
            {t.settings.embeddingModel}: {settings.embedding_model}
          </Text>
          <Text size="sm">
            {t.settings.imageModel}: {settings.image_model}
          </Text>
        </>
      ) : null}
    </Stack>
  );
}

/** Settings → AI provider: the account's provider, model names and (write-only) key. */
export function AiSettingsPage() {
  const user = useUser();
  const manage = can.manageAccount(user.role);
  const settings = useQuery(aiSettingsQuery);
  return (
    <Stack gap="lg">
      <PageHeader title={t.settings.aiTitle} intro={t.settings.aiIntro} />
      {!manage ? (
        <Alert color="blue" role="note">
          {t.settings.aiReadOnly}
        </Alert>
      ) : null}
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <LoadError title={t.settings.aiLoadFailed} error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Paper withBorder p="md" radius="md">
          <Stack gap="md">
            <KeyStatus settings={settings.data} />
            {!settings.data.configured ? (
              <Text size="sm" c="dimmed">
                {settings.data.message ?? t.settings.notConfigured}
              </Text>
            ) : null}
            {manage ? (
              <AiSettingsForm settings={settings.data} />
            ) : (
              <ReadOnlySettings settings={settings.data} />
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
