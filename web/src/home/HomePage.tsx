import { Badge, Button, Modal, Paper, Progress, Stack, Table, Text, Title, UnstyledButton } from "@mantine/core";
import { useQueries, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { lazy, Suspense, useState } from "react";

import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { recentOperationsQuery } from "../operations/api";
import { OperationDetail } from "../operations/OperationsTray";
import { LoadError, Loading } from "../shell/QueryState";
import { sitesQuery } from "../sites/api";
import { useWorkspace } from "../sites/workspace";
import { creditsPerDayQuery, STAGES, stageCountQuery, USAGE_DAYS } from "./api";
import classes from "./home.module.css";

const CreditsChart = lazy(() => import("./CreditsChart").then((m) => ({ default: m.CreditsChart })));

function Pipeline({ siteId, siteName }: { siteId: string; siteName: string }) {
  const counts = useQueries({ queries: STAGES.map((stage) => stageCountQuery(stage, siteId)) });
  const failed = counts.filter((c) => c.isError);
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t.home.pipelineTitle(siteName)}
        </Title>
        <dl className={classes.pipeline} aria-label={t.home.pipelineLabel} data-testid="pipeline">
          {STAGES.map((stage, i) => {
            const count = counts[i];
            return (
              <div key={stage} data-testid={`count-${stage}`}>
                <Text component="dt" size="xs" c="dimmed">
                  {t.home.stage[stage]}
                </Text>
                <Text component="dd" className={classes.count} fw={700} size="xl">
                  {count?.data !== undefined ? count.data.toLocaleString() : count?.isError ? t.home.unknownCount : "…"}
                </Text>
              </div>
            );
          })}
        </dl>
        {failed[0] ? (
          <LoadError
            title={t.home.countsFailed}
            error={failed[0].error}
            onRetry={() => {
              for (const c of failed) void c.refetch();
            }}
          />
        ) : null}
      </Stack>
    </Paper>
  );
}

function CreditsPerDay() {
  const usage = useQuery(creditsPerDayQuery);
  const total = usage.data?.reduce((sum, d) => sum + d.credits, 0) ?? 0;
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t.home.creditsTitle}
        </Title>
        <Text size="sm" c="dimmed">
          {t.home.creditsRange(USAGE_DAYS)}
        </Text>
        {usage.isPending ? (
          <Loading />
        ) : usage.isError ? (
          <LoadError title={t.home.creditsFailed} error={usage.error} onRetry={() => void usage.refetch()} />
        ) : (
          <>
            <Text size="sm" data-testid="credits-total">
              {total === 0 ? t.home.creditsNone : t.home.creditsChart(total, USAGE_DAYS)}
            </Text>
            <Suspense fallback={<Loading />}>
              <CreditsChart days={usage.data} label={t.home.creditsChart(total, USAGE_DAYS)} />
            </Suspense>
          </>
        )}
      </Stack>
    </Paper>
  );
}

function RecentOperations() {
  const recent = useQuery(recentOperationsQuery);
  const [detail, setDetail] = useState<string | null>(null);
  const chosen = recent.data?.find((o) => o.id === detail);
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t.home.recentTitle}
        </Title>
        {recent.isPending ? (
          <Loading />
        ) : recent.isError ? (
          <LoadError title={t.home.recentFailed} error={recent.error} onRetry={() => void recent.refetch()} />
        ) : recent.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t.home.recentNone}
          </Text>
        ) : (
          <Table data-testid="recent-operations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t.home.operation}</Table.Th>
                <Table.Th scope="col">{t.home.state}</Table.Th>
                <Table.Th scope="col">{t.home.progress}</Table.Th>
                <Table.Th scope="col">{t.home.started}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recent.data.map((o) => {
                const kind = t.operations.kind(o.kind);
                return (
                  <Table.Tr key={o.id} data-state={o.state}>
                    <Table.Td>
                      <UnstyledButton onClick={() => setDetail(o.id)} aria-label={t.home.details(kind)} td="underline">
                        {kind}
                      </UnstyledButton>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={o.state === "succeeded" ? "green" : o.state === "failed" || o.state === "cancelled" ? "red" : "blue"}>
                        {t.operations.state[o.state]}
                      </Badge>
                    </Table.Td>
                    <Table.Td miw={120}>
                      <Progress value={o.state === "succeeded" ? 100 : o.percent} aria-label={kind} />
                    </Table.Td>
                    <Table.Td>{new Date(o.created_at).toLocaleString()}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Modal
        opened={detail !== null}
        onClose={() => setDetail(null)}
        title={chosen ? t.operations.kind(chosen.kind) : ""}
        size="lg"
        lockScroll={false}
        closeButtonProps={{ "aria-label": t.operations.close }}
      >
        {detail ? <OperationDetail operationId={detail} /> : null}
      </Modal>
    </Paper>
  );
}

/** Home: the chosen site's pipeline, credits used per day, and recent operations. */
export function HomePage() {
  const user = useUser();
  const { sites, site } = useWorkspace();
  const sitesAnswer = useQuery(sitesQuery);
  return (
    <Stack gap="lg">
      <Title order={1}>{t.shell.homeTitle}</Title>
      {sitesAnswer.isPending ? (
        <Loading />
      ) : sitesAnswer.isError ? (
        <LoadError title={t.sites.loadFailed} error={sitesAnswer.error} onRetry={() => void sitesAnswer.refetch()} />
      ) : !site ? (
        <Paper withBorder p="lg" radius="md">
          <Stack gap="sm" align="flex-start">
            <Text>{t.shell.homeIntro}</Text>
            <Text>{t.shell.homeNoSite}</Text>
            {can.manageSites(user.role) ? (
              <Button component={Link} to="/settings/sites">
                {t.shell.homeAddSite}
              </Button>
            ) : null}
          </Stack>
        </Paper>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            {t.shell.homeSites(sites.length)}
          </Text>
          <Pipeline siteId={site.id} siteName={site.name} />
        </>
      )}
      <CreditsPerDay />
      <RecentOperations />
    </Stack>
  );
}
