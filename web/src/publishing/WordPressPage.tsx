import {
  Alert,
  Badge,
  Button,
  CopyButton,
  Group,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { notifyError, notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { useWorkspace } from "../sites/workspace";
import {
  type ConnectionKey,
  type ConnectionTest,
  connectionKeyQuery,
  defaultAuthorQuery,
  downloadPlugin,
  type Integration,
  integrationQuery,
  useIntegrationMutations,
} from "./api";
import { ConnectionChecks } from "./ConnectionChecks";

const FIELDS = ["url", "username", "app_password"] as const;

interface Values {
  url: string;
  username: string;
  app_password: string;
}

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : t.publishing.never);

/** Connect (no `integration`) or change the credentials of the site's WordPress; the
 * credentials can be tested before they are saved. */
function CredentialsForm({
  siteId,
  integration,
  onDone,
}: {
  siteId: string;
  integration?: Integration;
  onDone?: () => void;
}) {
  const { create, update, test } = useIntegrationMutations(siteId);
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(null);
  const [report, setReport] = useState<ConnectionTest | null>(null);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: { url: integration?.url ?? "", username: integration?.username ?? "", app_password: "" },
    validate: {
      url: (v) => (v.trim() === "" ? t.auth.required : null),
      username: (v) => (v.trim() === "" ? t.auth.required : null),
      app_password: (v) => (!integration && v.trim() === "" ? t.auth.required : null),
    },
  });

  const fail = (error: unknown) => {
    const { fieldErrors, formError: message } = formErrorsOf(error, FIELDS);
    form.setErrors(fieldErrors);
    if (message) setFormError({ message, requestId: error instanceof ApiError ? error.requestId : null });
  };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      if (integration) {
        const changes = {
          url: values.url.trim(),
          username: values.username.trim(),
          ...(values.app_password ? { app_password: values.app_password } : {}),
        };
        await update.mutateAsync({ id: integration.id, changes });
        notifySuccess(t.publishing.saved);
      } else {
        await create.mutateAsync({
          site_id: siteId,
          url: values.url.trim(),
          username: values.username.trim(),
          app_password: values.app_password,
          is_active: true,
          auto_publish: false,
          publish_status: "publish",
        });
        notifySuccess(t.publishing.connected);
      }
      onDone?.();
    } catch (error) {
      fail(error);
    }
  });

  const runTest = async () => {
    setFormError(null);
    setReport(null);
    if (form.validate().hasErrors) return;
    const v = form.getValues();
    try {
      setReport(
        await test.mutateAsync({ url: v.url.trim(), username: v.username.trim(), app_password: v.app_password }),
      );
    } catch (error) {
      fail(error);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t.publishing.connectTitle}>
      <Stack gap="md">
        <FormAlert message={formError?.message ?? null} requestId={formError?.requestId ?? null} />
        <TextInput label={t.publishing.url} description={t.publishing.urlHint} required {...form.getInputProps("url")} />
        <TextInput label={t.publishing.username} required autoComplete="off" {...form.getInputProps("username")} />
        <PasswordInput
          label={t.publishing.appPassword}
          description={integration ? t.publishing.appPasswordKept : undefined}
          required={!integration}
          autoComplete="new-password"
          {...form.getInputProps("app_password")}
        />
        <Group justify="flex-end">
          {onDone && integration ? (
            <Button variant="default" onClick={onDone}>
              {t.publishing.cancel}
            </Button>
          ) : null}
          {!integration ? (
            <Button variant="light" onClick={() => void runTest()} loading={test.isPending}>
              {t.publishing.testConnection}
            </Button>
          ) : null}
          <Button type="submit" loading={form.submitting}>
            {integration ? t.publishing.save : t.publishing.connect}
          </Button>
        </Group>
        {report ? <ConnectionChecks report={report} /> : null}
      </Stack>
    </form>
  );
}

function StructurePanel({
  integration,
  siteId,
  manage,
  write,
}: {
  integration: Integration;
  siteId: string;
  manage: boolean;
  write: boolean;
}) {
  const { syncStructure, setDefaultAuthor } = useIntegrationMutations(siteId);
  const author = useQuery(defaultAuthorQuery(integration.id));
  const s = integration.structure;
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t.publishing.structureTitle}
        </Title>
        <Text size="sm">{t.publishing.structureIntro}</Text>
        {s ? (
          <Text size="sm" data-testid="structure-counts">
            {t.publishing.structureCounts(s.categories.length, s.tags.length, s.authors.length, s.post_types.length)} ·{" "}
            {t.publishing.syncedAt(when(s.synced_at))}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t.publishing.structureNever}
          </Text>
        )}
        {write ? (
          <Group>
            <Button
              variant="light"
              loading={syncStructure.isPending}
              onClick={() =>
                syncStructure.mutate(integration.id, { onSuccess: () => notifySuccess(t.publishing.structureSynced) })
              }
            >
              {t.publishing.syncStructure}
            </Button>
          </Group>
        ) : null}
        {s && author.data !== undefined ? (
          manage ? (
            <Select
              label={t.publishing.defaultAuthor}
              description={t.publishing.defaultAuthorHint}
              data={[
                { value: "", label: t.publishing.defaultAuthorNone },
                ...s.authors.filter((a) => a.id !== null).map((a) => ({ value: String(a.id), label: a.name })),
              ]}
              value={author.data.author_id === null ? "" : String(author.data.author_id)}
              disabled={setDefaultAuthor.isPending}
              allowDeselect={false}
              onChange={(value) =>
                setDefaultAuthor.mutate(
                  { id: integration.id, authorId: value ? Number(value) : null },
                  { onSuccess: () => notifySuccess(t.publishing.defaultAuthorSaved) },
                )
              }
              maw={360}
            />
          ) : (
            <Text size="sm" data-testid="default-author">
              {t.publishing.defaultAuthor}: {author.data.author?.name ?? t.publishing.defaultAuthorNone}
            </Text>
          )
        ) : null}
      </Stack>
    </Paper>
  );
}

function BridgePanel({ integration, siteId, manage }: { integration: Integration; siteId: string; manage: boolean }) {
  const { issueKey, revokeKey } = useIntegrationMutations(siteId);
  const status = useQuery(connectionKeyQuery(integration.id));
  const [key, setKey] = useState<ConnectionKey | null>(null);
  const [downloading, setDownloading] = useState(false);

  const issue = () => {
    if (status.data?.issued && !window.confirm(t.publishing.confirmReissue)) return;
    issueKey.mutate(integration.id, { onSuccess: setKey });
  };
  const revoke = () => {
    if (!window.confirm(t.publishing.confirmRevoke)) return;
    revokeKey.mutate(integration.id, {
      onSuccess: () => {
        setKey(null);
        notifySuccess(t.publishing.keyRevoked);
      },
    });
  };
  const download = async () => {
    setDownloading(true);
    try {
      await downloadPlugin();
    } catch (error) {
      notifyError(error, t.publishing.downloadFailed);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t.publishing.keyTitle}
        </Title>
        <Text size="sm">{t.publishing.keyIntro}</Text>
        <Group>
          <Button variant="light" onClick={() => void download()} loading={downloading} data-testid="download-plugin">
            {t.publishing.downloadPlugin}
          </Button>
        </Group>
        {status.isPending ? (
          <Loading />
        ) : status.isError ? (
          <LoadError title={t.publishing.loadFailed} error={status.error} onRetry={() => void status.refetch()} />
        ) : (
          <Text size="sm" data-testid="key-status" data-issued={status.data.issued}>
            {status.data.issued ? t.publishing.keyIssued(when(status.data.issued_at)) : t.publishing.keyNone}{" "}
            {status.data.issued
              ? t.publishing.keyDeliveries(
                  status.data.deliveries_received,
                  status.data.last_delivery_at ? when(status.data.last_delivery_at) : null,
                )
              : null}
          </Text>
        )}
        {key ? (
          <Stack gap={4}>
            <Textarea label={t.publishing.keyLabel} description={t.publishing.keyShownOnce} value={key.connection_key} readOnly autosize minRows={2} data-testid="connection-key" />
            <CopyButton value={key.connection_key}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" onClick={copy} w="fit-content">
                  {copied ? t.publishing.copied : t.publishing.copy}
                </Button>
              )}
            </CopyButton>
          </Stack>
        ) : null}
        {manage && status.data ? (
          <Group>
            <Button onClick={issue} loading={issueKey.isPending}>
              {status.data.issued ? t.publishing.reissueKey : t.publishing.issueKey}
            </Button>
            {status.data.issued ? (
              <Button variant="default" color="red" onClick={revoke} loading={revokeKey.isPending}>
                {t.publishing.revokeKey}
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}

function IntegrationPanel({ integration, siteId }: { integration: Integration; siteId: string }) {
  const user = useUser();
  const manage = can.manageSites(user.role);
  const { test, remove } = useIntegrationMutations(siteId);
  const [editing, setEditing] = useState(false);
  const [report, setReport] = useState<ConnectionTest | null>(null);

  return (
    <Stack gap="lg">
      <Paper withBorder p="lg" radius="md">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h3">
              {integration.url}
            </Title>
            <Badge color={integration.status === "active" ? "green" : "orange"} variant="light" data-testid="integration-status">
              {t.publishing.statusValue[integration.status] ?? integration.status}
            </Badge>
          </Group>
          <Text size="sm">
            {t.publishing.username}: {integration.username} · {t.publishing.lastChecked}: {when(integration.last_checked_at)}
          </Text>
          {integration.last_error ? (
            <Alert color="orange" p="xs" title={t.publishing.lastError}>
              {integration.last_error}
            </Alert>
          ) : null}
          {editing ? (
            <CredentialsForm siteId={siteId} integration={integration} onDone={() => setEditing(false)} />
          ) : (
            <Group>
              {can.writeContent(user.role) ? (
                <Button
                  onClick={() =>
                    test.mutate({ id: integration.id }, { onSuccess: setReport, onError: (e) => notifyError(e) })
                  }
                  loading={test.isPending}
                >
                  {t.publishing.testConnection}
                </Button>
              ) : null}
              {manage ? (
                <Button variant="default" onClick={() => setEditing(true)}>
                  {t.publishing.edit}
                </Button>
              ) : null}
              {manage ? (
                <Button
                  variant="subtle"
                  color="red"
                  onClick={() => {
                    if (window.confirm(t.publishing.confirmDisconnect))
                      remove.mutate(integration.id, { onSuccess: () => notifySuccess(t.publishing.disconnected) });
                  }}
                >
                  {t.publishing.disconnect}
                </Button>
              ) : null}
            </Group>
          )}
          {report ? <ConnectionChecks report={report} /> : null}
        </Stack>
      </Paper>
      <StructurePanel integration={integration} siteId={siteId} manage={manage} write={can.writeContent(user.role)} />
      <BridgePanel integration={integration} siteId={siteId} manage={manage} />
    </Stack>
  );
}

/** Publishing → WordPress: the chosen site's WordPress connection. */
export function WordPressPage() {
  const user = useUser();
  const { site } = useWorkspace();
  const integration = useQuery({ ...integrationQuery(site?.id ?? ""), enabled: site !== null });
  return (
    <Stack gap="lg">
      <Title order={1}>{t.publishing.wordpressTitle}</Title>
      {!site ? (
        <Text>{t.publishing.noSite}</Text>
      ) : (
        <>
          <Text>{t.publishing.wordpressIntro(site.name)}</Text>
          {integration.isPending ? (
            <Loading />
          ) : integration.isError ? (
            <LoadError title={t.publishing.loadFailed} error={integration.error} onRetry={() => void integration.refetch()} />
          ) : integration.data ? (
            <IntegrationPanel integration={integration.data} siteId={site.id} />
          ) : can.manageSites(user.role) ? (
            <Paper withBorder p="lg" radius="md">
              <Stack gap="sm">
                <Title order={2} size="h3">
                  {t.publishing.connectTitle}
                </Title>
                <Text size="sm">{t.publishing.connectIntro}</Text>
                <CredentialsForm siteId={site.id} />
              </Stack>
            </Paper>
          ) : (
            <Text>
              {t.publishing.notConnected} {t.publishing.readOnlyConnect}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
