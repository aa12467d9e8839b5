import { Alert, Group, Stack, Text, Title } from "@mantine/core";

import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import type { Sector, Site } from "../sites/api";
import { useWorkspace } from "../sites/workspace";

/** May the signed-in user change the writer's data (not a viewer)? */
export function useCanWrite(): boolean {
  return can.writeContent(useUser().role);
}

/** A writer page's heading and intro; its body gets the chosen site and sector (or is
 * replaced by a hint to choose them). */
export function PageFrame({
  title,
  intro,
  actions,
  children,
}: {
  title: string;
  intro: string;
  actions?: React.ReactNode;
  children: (where: { site: Site; sector: Sector }) => React.ReactNode;
}) {
  const { site, sector } = useWorkspace();
  const canWrite = useCanWrite();
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{title}</Title>
          <Text size="sm" c="dimmed">
            {intro}
          </Text>
        </div>
        {site && sector ? actions : null}
      </Group>
      {canWrite ? null : (
        <Alert color="gray" data-testid="read-only">
          {t.writer.readOnly}
        </Alert>
      )}
      {site && sector ? children({ site, sector }) : <Alert color="blue">{t.writer.noSector}</Alert>}
    </Stack>
  );
}
