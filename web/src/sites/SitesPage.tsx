import { Alert, Badge, Button, Group, Modal, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { sectorsQuery, sitesQuery, useSectorMutations, useSiteMutations, type Sector, type Site } from "./api";
import { SectorForm } from "./SectorForm";
import { SiteForm } from "./SiteForm";
import { useWorkspace } from "./workspace";

type Dialog =
  | { kind: "new-site" }
  | { kind: "edit-site"; site: Site }
  | { kind: "delete-site"; site: Site }
  | { kind: "new-sector"; site: Site }
  | { kind: "edit-sector"; site: Site; sector: Sector }
  | { kind: "delete-sector"; site: Site; sector: Sector }
  | null;

function StatusBadge({ active }: { active: boolean }) {
  return (
    <Badge variant="light" color={active ? "green" : "gray"}>
      {active ? t.sites.active : t.sites.inactive}
    </Badge>
  );
}

function ConfirmDelete({
  text,
  busy,
  onConfirm,
  onCancel,
}: {
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
          {t.sites.cancel}
        </Button>
        <Button color="red" loading={busy} onClick={onConfirm} data-autofocus>
          {t.sites.delete}
        </Button>
      </Group>
    </Stack>
  );
}

function SectorsPanel({ site, manage, open }: { site: Site; manage: boolean; open: (d: Dialog) => void }) {
  const sectors = useQuery(sectorsQuery(site.id));
  const headingId = `sectors-of-${site.id}`;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id={headingId}>
            {t.sites.sectorsOf(site.name)}
          </Title>
          {manage ? (
            <Button size="xs" onClick={() => open({ kind: "new-sector", site })}>
              {t.sites.addSector}
            </Button>
          ) : null}
        </Group>
        {sectors.isPending ? (
          <Loading />
        ) : sectors.isError ? (
          <LoadError title={t.sites.sectorsLoadFailed} error={sectors.error} onRetry={() => void sectors.refetch()} />
        ) : sectors.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t.sites.noSectors}
          </Text>
        ) : (
          <Table aria-labelledby={headingId} data-testid="sectors-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t.sites.sectorName}</Table.Th>
                <Table.Th scope="col">{t.sites.status}</Table.Th>
                {manage ? <Table.Th scope="col">{t.sites.actions}</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sectors.data.map((sector) => (
                <Table.Tr key={sector.id}>
                  <Table.Td>{sector.name}</Table.Td>
                  <Table.Td>
                    <StatusBadge active={sector.is_active} />
                  </Table.Td>
                  {manage ? (
                    <Table.Td>
                      <Group gap="xs">
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={t.sites.editNamed(sector.name)}
                          onClick={() => open({ kind: "edit-sector", site, sector })}
                        >
                          {t.sites.edit}
                        </Button>
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          aria-label={t.sites.deleteNamed(sector.name)}
                          onClick={() => open({ kind: "delete-sector", site, sector })}
                        >
                          {t.sites.delete}
                        </Button>
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

function Dialogs({ dialog, close }: { dialog: Dialog; close: () => void }) {
  const sites = useSiteMutations();
  const sectors = useSectorMutations(dialog && "site" in dialog ? dialog.site.id : "");
  if (dialog === null) return null;
  const title = {
    "new-site": t.sites.addSite,
    "edit-site": t.sites.editSite,
    "delete-site": t.sites.deleteSite,
    "new-sector": t.sites.addSector,
    "edit-sector": t.sites.editSector,
    "delete-sector": t.sites.deleteSector,
  }[dialog.kind];
  return (
    <Modal
      opened
      onClose={close}
      title={title}
      centered
      // Scroll locking injects a <style> element, which the app's CSP refuses.
      lockScroll={false}
      closeButtonProps={{ "aria-label": t.sites.close }}
    >
      {dialog.kind === "new-site" ? (
        <SiteForm
          onCancel={close}
          onDone={(site) => {
            notifySuccess(t.sites.created(site.name));
            close();
          }}
        />
      ) : dialog.kind === "edit-site" ? (
        <SiteForm
          site={dialog.site}
          onCancel={close}
          onDone={(site) => {
            notifySuccess(t.sites.updated(site.name));
            close();
          }}
        />
      ) : dialog.kind === "delete-site" ? (
        <ConfirmDelete
          text={t.sites.confirmDelete(dialog.site.name)}
          busy={sites.remove.isPending}
          onCancel={close}
          onConfirm={() =>
            sites.remove.mutate(dialog.site.id, {
              onSuccess: () => {
                notifySuccess(t.sites.deleted(dialog.site.name));
                close();
              },
            })
          }
        />
      ) : dialog.kind === "new-sector" ? (
        <SectorForm
          siteId={dialog.site.id}
          onCancel={close}
          onDone={(sector) => {
            notifySuccess(t.sites.sectorCreated(sector.name));
            close();
          }}
        />
      ) : dialog.kind === "edit-sector" ? (
        <SectorForm
          siteId={dialog.site.id}
          sector={dialog.sector}
          onCancel={close}
          onDone={(sector) => {
            notifySuccess(t.sites.sectorUpdated(sector.name));
            close();
          }}
        />
      ) : (
        <ConfirmDelete
          text={t.sites.confirmDeleteSector(dialog.sector.name)}
          busy={sectors.remove.isPending}
          onCancel={close}
          onConfirm={() =>
            sectors.remove.mutate(dialog.sector.id, {
              onSuccess: () => {
                notifySuccess(t.sites.sectorDeleted(dialog.sector.name));
                close();
              },
            })
          }
        />
      )}
    </Modal>
  );
}

/** Settings → Sites & sectors: list, add, edit and delete both (owners and admins). */
export function SitesPage() {
  const user = useUser();
  const manage = can.manageSites(user.role);
  const sites = useQuery(sitesQuery);
  const workspace = useWorkspace();
  const [shownSiteId, setShownSiteId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);

  const list = sites.data ?? [];
  const shown = list.find((s) => s.id === shownSiteId) ?? workspace.site ?? list[0] ?? null;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{t.sites.title}</Title>
          <Text size="sm" c="dimmed">
            {t.sites.intro}
          </Text>
        </div>
        {manage ? <Button onClick={() => setDialog({ kind: "new-site" })}>{t.sites.addSite}</Button> : null}
      </Group>
      {!manage ? (
        <Alert color="blue" role="note">
          {t.sites.readOnly}
        </Alert>
      ) : null}

      {sites.isPending ? (
        <Loading />
      ) : sites.isError ? (
        <LoadError title={t.sites.loadFailed} error={sites.error} onRetry={() => void sites.refetch()} />
      ) : list.length === 0 ? (
        <Paper withBorder p="lg" radius="md" data-testid="sites-empty">
          <Text fw={500}>{t.sites.empty}</Text>
          <Text size="sm" c="dimmed">
            {manage ? t.sites.emptyHint : t.sites.emptyReadOnly}
          </Text>
        </Paper>
      ) : (
        <Table aria-label={t.sites.title} data-testid="sites-table" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t.sites.name}</Table.Th>
              <Table.Th scope="col">{t.sites.domain}</Table.Th>
              <Table.Th scope="col">{t.sites.status}</Table.Th>
              <Table.Th scope="col">{t.sites.actions}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((site) => (
              <Table.Tr key={site.id}>
                <Table.Td>{site.name}</Table.Td>
                <Table.Td>{site.domain ?? "–"}</Table.Td>
                <Table.Td>
                  <StatusBadge active={site.is_active} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button
                      size="xs"
                      variant={shown?.id === site.id ? "filled" : "light"}
                      aria-pressed={shown?.id === site.id}
                      aria-label={t.sites.manageSectors(site.name)}
                      onClick={() => setShownSiteId(site.id)}
                    >
                      {t.sites.sectors}
                    </Button>
                    {manage ? (
                      <>
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={t.sites.editNamed(site.name)}
                          onClick={() => setDialog({ kind: "edit-site", site })}
                        >
                          {t.sites.edit}
                        </Button>
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          aria-label={t.sites.deleteNamed(site.name)}
                          onClick={() => setDialog({ kind: "delete-site", site })}
                        >
                          {t.sites.delete}
                        </Button>
                      </>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      {shown ? <SectorsPanel site={shown} manage={can.manageSectors(user.role)} open={setDialog} /> : null}
      <Dialogs dialog={dialog} close={() => setDialog(null)} />
    </Stack>
  );
}
