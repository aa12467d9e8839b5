import { Alert, Badge, Button, Code, Group, Paper, Stack, Tabs, Text, Textarea, Title } from "@mantine/core";
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
import { promptsQuery, usePromptMutations, type Prompt } from "./api";
import { useApiErrors } from "./useApiErrors";

export const promptName = (type: string) => t.settings.promptNames[type] ?? type;

function Variables({ label, names }: { label: string; names: string[] }) {
  return (
    <Group gap="xs">
      <Text size="sm" fw={500}>
        {label}:
      </Text>
      {names.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t.settings.noVariables}
        </Text>
      ) : (
        names.map((name) => (
          <Code key={name}>{`{{${name}}}`}</Code>
        ))
      )}
    </Group>
  );
}

/** One prompt: its template (an override saved with the API's variable checks shown at the
 * field), its variables, the default, and a reset. */
export function PromptEditor({ prompt, manage }: { prompt: Prompt; manage: boolean }) {
  const { override, reset } = usePromptMutations();
  const errors = useApiErrors(["template"]);
  const [resetting, setResetting] = useState(false);
  const name = promptName(prompt.prompt_type);
  const form = useForm({ mode: "controlled", initialValues: { template: prompt.template } });

  const submit = form.onSubmit(async (values) => {
    errors.clear();
    try {
      const saved = await override.mutateAsync({ type: prompt.prompt_type, template: values.template });
      form.resetDirty({ template: saved.template });
      notifySuccess(t.settings.promptSaved(name));
    } catch (error) {
      errors.show(error, form.setErrors);
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={name}>
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={2} size="h4">
            {name}
          </Title>
          <Badge variant="light" color={prompt.is_overridden ? "blue" : "gray"} data-testid="prompt-state">
            {prompt.is_overridden ? t.settings.overridden : t.settings.defaultPrompt}
          </Badge>
        </Group>
        <Variables label={t.settings.requiredVariables} names={prompt.variables.required} />
        <Variables label={t.settings.optionalVariables} names={prompt.variables.optional} />
        <FormAlert message={errors.problem?.message ?? null} requestId={errors.problem?.requestId ?? null} />
        <Textarea
          label={t.settings.template}
          rows={14}
          resize="vertical"
          readOnly={!manage}
          spellCheck={false}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
          {...form.getInputProps("template")}
        />
        {manage ? (
          <Group justify="space-between">
            <Button type="submit" loading={form.submitting}>
              {t.settings.savePrompt}
            </Button>
            {prompt.is_overridden ? (
              <Button variant="subtle" color="red" onClick={() => setResetting(true)}>
                {t.settings.resetPrompt}
              </Button>
            ) : null}
          </Group>
        ) : null}
        <details>
          <summary>
            <Text component="span" size="sm">
              {t.settings.showDefault}
            </Text>
          </summary>
          <Code block mt="xs">
            {prompt.default_template}
          </Code>
        </details>
      </Stack>
      {resetting ? (
        <ConfirmDialog
          title={t.settings.resetPrompt}
          text={t.settings.confirmReset(name)}
          confirm={t.settings.resetPrompt}
          busy={reset.isPending}
          error={reset.error}
          onCancel={() => setResetting(false)}
          onConfirm={() =>
            reset.mutate(prompt.prompt_type, {
              onSuccess: (restored) => {
                form.setValues({ template: restored.template });
                form.resetDirty({ template: restored.template });
                form.clearErrors();
                errors.clear();
                setResetting(false);
                notifySuccess(t.settings.promptReset(name));
              },
            })
          }
        />
      ) : null}
    </form>
  );
}

/** Settings → Prompts: every AI prompt, overridable per account (owners and admins). */
export function PromptsPage() {
  const user = useUser();
  const manage = can.manageAccount(user.role);
  const prompts = useQuery(promptsQuery);
  const [chosen, setChosen] = useState<string | null>(null);
  const list = prompts.data ?? [];
  const active = chosen ?? list[0]?.prompt_type ?? null;

  return (
    <Stack gap="lg">
      <PageHeader title={t.settings.promptsTitle} intro={t.settings.promptsIntro} />
      {!manage ? (
        <Alert color="blue" role="note">
          {t.settings.promptsReadOnly}
        </Alert>
      ) : null}
      {prompts.isPending ? (
        <Loading />
      ) : prompts.isError ? (
        <LoadError title={t.settings.promptsLoadFailed} error={prompts.error} onRetry={() => void prompts.refetch()} />
      ) : list.length === 0 ? (
        <Paper withBorder p="lg" radius="md" data-testid="prompts-empty">
          <Text>{t.settings.promptsEmpty}</Text>
        </Paper>
      ) : (
        <Tabs value={active} onChange={setChosen} orientation="vertical" keepMounted={false}>
          <Tabs.List aria-label={t.settings.promptList}>
            {list.map((prompt) => (
              <Tabs.Tab key={prompt.prompt_type} value={prompt.prompt_type}>
                {promptName(prompt.prompt_type)}
                {prompt.is_overridden ? (
                  <Badge size="xs" variant="light" color="blue" ml="xs">
                    {t.settings.overridden}
                  </Badge>
                ) : null}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {list.map((prompt) => (
            <Tabs.Panel key={prompt.prompt_type} value={prompt.prompt_type} pl="md">
              <PromptEditor prompt={prompt} manage={manage} />
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}
