import { Button, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";

import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { sitesQuery } from "../sites/api";
import { LoadError, Loading } from "../shell/QueryState";

/** Home: where to start. The pipeline dashboard comes with the Planner and Writer pages. */
export function HomePage() {
  const user = useUser();
  const sites = useQuery(sitesQuery);
  return (
    <Stack gap="lg">
      <Title order={1}>{t.shell.homeTitle}</Title>
      <Text>{t.shell.homeIntro}</Text>
      <Paper withBorder p="lg" radius="md">
        {sites.isPending ? (
          <Loading />
        ) : sites.isError ? (
          <LoadError title={t.sites.loadFailed} error={sites.error} onRetry={() => void sites.refetch()} />
        ) : sites.data.length === 0 ? (
          <Stack gap="sm" align="flex-start">
            <Text>{t.shell.homeNoSite}</Text>
            {can.manageSites(user.role) ? (
              <Button component={Link} to="/settings/sites">
                {t.shell.homeAddSite}
              </Button>
            ) : null}
          </Stack>
        ) : (
          <Stack gap="sm" align="flex-start">
            <Text fw={500}>{t.shell.homeSites(sites.data.length)}</Text>
            <Button component={Link} to="/settings/sites" variant="light">
              {t.shell.sitesAndSectors}
            </Button>
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}
