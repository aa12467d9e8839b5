import { Card, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";

import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { LoadError, Loading } from "../shell/QueryState";
import { useWorkspace } from "../sites/workspace";
import { configQuery, runsQuery } from "./api";
import { CurrentRun } from "./CurrentRun";
import { RunHistory } from "./RunHistory";
import { SettingsForm } from "./SettingsForm";

/** A site's automation: the current run (with "run now"), its settings, and past runs. */
export function AutomationPage() {
  const { site } = useWorkspace();
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{t.automation.title}</Title>
        <Text size="sm" c="dimmed">
          {t.automation.intro}
        </Text>
      </div>
      {site ? <SiteAutomation siteId={site.id} /> : <Text>{t.automation.noSite}</Text>}
    </Stack>
  );
}

function SiteAutomation({ siteId }: { siteId: string }) {
  const user = useUser();
  const config = useQuery(configQuery(siteId));
  const runs = useQuery(runsQuery(siteId));
  return (
    <>
      <Card withBorder component="section" aria-labelledby="automation-current">
        <Title order={2} size="h3" id="automation-current" mb="sm">
          {t.automation.currentRun}
        </Title>
        {runs.isPending ? (
          <Loading />
        ) : runs.isError ? (
          <LoadError title={t.automation.runsLoadFailed} error={runs.error} onRetry={() => void runs.refetch()} />
        ) : (
          <CurrentRun siteId={siteId} runs={runs.data} role={user.role} />
        )}
      </Card>
      <Card withBorder component="section" aria-labelledby="automation-settings">
        <Title order={2} size="h3" id="automation-settings" mb="sm">
          {t.automation.settings}
        </Title>
        {config.isPending ? (
          <Loading />
        ) : config.isError ? (
          <LoadError title={t.automation.loadFailed} error={config.error} onRetry={() => void config.refetch()} />
        ) : (
          <SettingsForm key={siteId} siteId={siteId} config={config.data} role={user.role} />
        )}
      </Card>
      <Card withBorder component="section" aria-labelledby="automation-history">
        <Title order={2} size="h3" id="automation-history" mb="sm">
          {t.automation.history}
        </Title>
        {runs.isPending ? (
          <Loading />
        ) : runs.isError ? (
          <LoadError title={t.automation.runsLoadFailed} error={runs.error} onRetry={() => void runs.refetch()} />
        ) : (
          <RunHistory runs={runs.data} />
        )}
      </Card>
    </>
  );
}
