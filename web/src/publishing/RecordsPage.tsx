import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useMemo, useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { OperationProgress } from "../operations/OperationProgress";
import { onStreamEvent } from "../operations/stream";
import { FormAlert } from "../shell/FormAlert";
import { LoadError, Loading } from "../shell/QueryState";
import { useWorkspace } from "../sites/workspace";
import {
  type Content,
  type Integration,
  integrationQuery,
  type PublishRequest,
  RECORDS_PAGE,
  recordsQuery,
  siteContentQuery,
  usePublish,
} from "./api";

type Mode = PublishRequest extends { status?: infer S } ? NonNullable<S> : never;
const MODES: Mode[] = ["draft", "publish", "future"];

/** A local date-time input value (`YYYY-MM-DDTHH:mm`) as an ISO instant. */
const isoOf = (local: string) => new Date(local).toISOString();

function PublishPanel({ integration, siteId }: { integration: Integration; siteId: string }) {
  const client = useQueryClient();
  const approved = useQuery(siteContentQuery(siteId, "approved"));
  const publish = usePublish();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [mode, setMode] = useState<Mode>(integration.publish_status);
  const [publishAt, setPublishAt] = useState("");
  const [error, setError] = useState<{ message: string; requestId: string | null } | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);
  const articles = approved.data ?? [];

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const submit = async (event: { preventDefault: () => void }) => {
    event.preventDefault();
    setError(null);
    setFieldError(null);
    try {
      const started = await publish.mutateAsync({
        content_ids: [...selected],
        integration_id: integration.id,
        status: mode,
        ...(mode === "future" && publishAt ? { publish_at: isoOf(publishAt) } : {}),
      });
      setOperationId(started.operation_id);
      setSelected(new Set());
    } catch (caught) {
      const { fieldErrors, formError } = formErrorsOf(caught, ["publish_at"]);
      setFieldError(fieldErrors.publish_at ?? null);
      if (formError) setError({ message: formError, requestId: caught instanceof ApiError ? caught.requestId : null });
    }
  };

  return (
    <Paper withBorder p="lg" radius="md">
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={t.publishing.publishTitle}>
        <Stack gap="sm">
          <Title order={2} size="h3">
            {t.publishing.publishTitle}
          </Title>
          <Text size="sm">{t.publishing.publishIntro}</Text>
          <FormAlert message={error?.message ?? null} requestId={error?.requestId ?? null} />
          {approved.isPending ? (
            <Loading />
          ) : approved.isError ? (
            <LoadError title={t.publishing.approvedLoadFailed} error={approved.error} onRetry={() => void approved.refetch()} />
          ) : articles.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t.publishing.noApproved}
            </Text>
          ) : (
            <Stack gap={4} role="group" aria-label={t.publishing.article}>
              {articles.map((article) => (
                <Checkbox
                  key={article.id}
                  label={article.title}
                  checked={selected.has(article.id)}
                  onChange={() => toggle(article.id)}
                  aria-label={t.publishing.selectArticle(article.title)}
                />
              ))}
            </Stack>
          )}
          <Radio.Group label={t.publishing.publishAs} value={mode} onChange={(v) => setMode(v)}>
            <Group mt={4}>
              {MODES.map((m) => (
                <Radio key={m} value={m} label={t.publishing.publishMode[m]} />
              ))}
            </Group>
          </Radio.Group>
          {mode === "future" ? (
            <TextInput
              type="datetime-local"
              label={t.publishing.publishAt}
              description={t.publishing.publishAtHint}
              value={publishAt}
              onChange={(e) => setPublishAt(e.currentTarget.value)}
              error={fieldError}
              required
              maw={280}
            />
          ) : null}
          <Group>
            <Button type="submit" disabled={selected.size === 0} loading={publish.isPending}>
              {t.publishing.publishSelected(selected.size)}
            </Button>
          </Group>
          {operationId ? (
            <OperationProgress
              key={operationId}
              operationId={operationId}
              label={t.publishing.publishing}
              onFinished={() => {
                void client.invalidateQueries({ queryKey: ["publishing", "records"] });
                void client.invalidateQueries({ queryKey: ["publishing", "content", siteId] });
              }}
            />
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

function RecordsTable({ integration, siteId }: { integration: Integration; siteId: string }) {
  const [page, setPage] = useState(1);
  const records = useQuery(recordsQuery(integration.id, page));
  const contents = useQuery(siteContentQuery(siteId));
  const titles = useMemo(() => new Map((contents.data ?? []).map((c: Content) => [c.id, c.title])), [contents.data]);

  if (records.isPending) return <Loading />;
  if (records.isError)
    return <LoadError title={t.publishing.recordsLoadFailed} error={records.error} onRetry={() => void records.refetch()} />;
  const { results, count } = records.data;
  if (count === 0)
    return (
      <Text c="dimmed" data-testid="records-empty">
        {t.publishing.noRecords}
      </Text>
    );
  const pages = Math.max(1, Math.ceil(count / RECORDS_PAGE));
  return (
    <Stack gap="sm">
      <Table striped withTableBorder data-testid="records-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t.publishing.article}</Table.Th>
            <Table.Th scope="col">{t.publishing.status}</Table.Th>
            <Table.Th scope="col">{t.publishing.wordpressStatus}</Table.Th>
            <Table.Th scope="col">{t.publishing.publishedAt}</Table.Th>
            <Table.Th scope="col">{t.publishing.attempts}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {results.map((record) => {
            const title = titles.get(record.content_id) ?? t.publishing.unknownArticle;
            return (
              <Table.Tr key={record.id} data-testid="record-row" data-content-id={record.content_id}>
                <Table.Td>
                  {record.external_url ? (
                    <Anchor href={record.external_url} target="_blank" rel="noreferrer" aria-label={t.publishing.livePostOf(title)}>
                      {title}
                    </Anchor>
                  ) : (
                    title
                  )}
                  {record.errors.length > 0 ? (
                    <Text size="xs" c="red.8">
                      {t.publishing.errors}: {record.errors.join(" · ")}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={record.status === "published" ? "green" : record.status === "failed" ? "red" : "blue"}
                  >
                    {t.publishing.recordStatus[record.status] ?? record.status}
                  </Badge>
                </Table.Td>
                <Table.Td data-testid="wordpress-status" data-status={record.wordpress_status ?? ""}>
                  {record.wordpress_status ? (t.publishing.wpStatus[record.wordpress_status] ?? record.wordpress_status) : "–"}
                </Table.Td>
                <Table.Td>{record.published_at ? new Date(record.published_at).toLocaleString() : "–"}</Table.Td>
                <Table.Td>{record.attempts}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {pages > 1 ? (
        <Group>
          <Button variant="default" size="xs" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t.publishing.previous}
          </Button>
          <Text size="sm">{t.publishing.pageOf(page, pages)}</Text>
          <Button variant="default" size="xs" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t.publishing.next}
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

/** Publishing → records: publish approved articles, and what was published where (the post's
 * status follows WordPress: the bridge's status events refresh the table as they arrive). */
export function RecordsPage() {
  const user = useUser();
  const client = useQueryClient();
  const { site } = useWorkspace();
  const integration = useQuery({ ...integrationQuery(site?.id ?? ""), enabled: site !== null });

  useEffect(
    () =>
      onStreamEvent((event) => {
        if (event.subject.startsWith("evt.publisher.") || event.subject.startsWith("evt.writer.content.")) {
          void client.invalidateQueries({ queryKey: ["publishing", "records"] });
          void client.invalidateQueries({ queryKey: ["publishing", "content"] });
        }
      }),
    [client],
  );

  return (
    <Stack gap="lg">
      <Title order={1}>{t.publishing.recordsTitle}</Title>
      <Text>{t.publishing.recordsIntro}</Text>
      {!site ? (
        <Text>{t.publishing.noSite}</Text>
      ) : integration.isPending ? (
        <Loading />
      ) : integration.isError ? (
        <LoadError title={t.publishing.loadFailed} error={integration.error} onRetry={() => void integration.refetch()} />
      ) : !integration.data ? (
        <Stack gap="sm" align="flex-start">
          <Text>{t.publishing.noIntegration}</Text>
          <Button component={Link} to="/publishing/wordpress" variant="light">
            {t.publishing.goConnect}
          </Button>
        </Stack>
      ) : (
        <>
          {can.writeContent(user.role) ? (
            <PublishPanel integration={integration.data} siteId={site.id} />
          ) : (
            <Text size="sm" c="dimmed">
              {t.publishing.readOnlyPublish}
            </Text>
          )}
          <RecordsTable integration={integration.data} siteId={site.id} />
        </>
      )}
    </Stack>
  );
}
