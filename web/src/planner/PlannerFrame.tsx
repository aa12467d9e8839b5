import { Alert, Button, Group, Modal, Stack, Text, Title } from "@mantine/core";

import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { useWorkspace } from "../sites/workspace";

/** A planner page's heading, its intro, and the read-only note for roles that may not write;
 * without a chosen sector, only the hint to choose one. */
export function PlannerFrame({
  title,
  intro,
  actions,
  children,
}: {
  title: string;
  intro: string;
  actions?: React.ReactNode;
  children: (scope: { siteId: string; sectorId: string; canWrite: boolean }) => React.ReactNode;
}) {
  const user = useUser();
  const { site, sector } = useWorkspace();
  const canWrite = can.writeContent(user.role);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{title}</Title>
          <Text size="sm" c="dimmed">
            {intro}
          </Text>
        </div>
        {site && sector && canWrite ? <Group gap="sm">{actions}</Group> : null}
      </Group>
      {!canWrite ? (
        <Alert color="blue" role="note">
          {t.planner.readOnly}
        </Alert>
      ) : null}
      {site && sector ? (
        children({ siteId: site.id, sectorId: sector.id, canWrite })
      ) : (
        <Alert color="yellow" role="note" data-testid="planner-no-sector">
          {t.planner.noSector}
        </Alert>
      )}
    </Stack>
  );
}

/** The planner's dialogs: centred, no scroll lock (its injected <style> breaks the CSP). */
export function PlannerModal({ title, onClose, size, children }: {
  title: string;
  onClose: () => void;
  size?: string;
  children: React.ReactNode;
}) {
  return (
    <Modal opened onClose={onClose} title={title} centered size={size} lockScroll={false} closeButtonProps={{ "aria-label": t.planner.close }}>
      {children}
    </Modal>
  );
}

export function ConfirmDelete({ text, busy, onConfirm, onCancel }: {
  text: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Stack gap="md">
      <Text size="sm">{text}</Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t.planner.cancel}
        </Button>
        <Button color="red" loading={busy} onClick={onConfirm} data-autofocus>
          {t.planner.delete}
        </Button>
      </Group>
    </Stack>
  );
}
