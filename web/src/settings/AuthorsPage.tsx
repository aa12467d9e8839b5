import { Alert, Badge, Button, Group, Modal, Paper, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { can } from "../auth/permissions";
import { useUser } from "../auth/useSession";
import { t } from "../i18n/strings";
import { ConfirmDialog } from "../shell/ConfirmDialog";
import { notifySuccess } from "../shell/notify";
import { PageHeader } from "../shell/PageHeader";
import { LoadError, Loading } from "../shell/QueryState";
import { authorProfilesQuery, useAuthorProfileMutations, type AuthorProfile } from "./api";
import { AuthorForm } from "./AuthorForm";

type Dialog = { kind: "new" } | { kind: "edit"; profile: AuthorProfile } | { kind: "delete"; profile: AuthorProfile } | null;

function Dialogs({ dialog, close }: { dialog: Dialog; close: () => void }) {
  const { remove } = useAuthorProfileMutations();
  if (dialog === null) return null;
  if (dialog.kind === "delete") {
    return (
      <ConfirmDialog
        title={t.settings.deleteAuthor}
        text={t.settings.confirmDeleteAuthor(dialog.profile.name)}
        confirm={t.settings.delete}
        busy={remove.isPending}
        error={null}
        onCancel={close}
        onConfirm={() =>
          remove.mutate(dialog.profile.id, {
            onSuccess: () => {
              notifySuccess(t.settings.authorDeleted(dialog.profile.name));
              close();
            },
          })
        }
      />
    );
  }
  return (
    <Modal
      opened
      onClose={close}
      title={dialog.kind === "new" ? t.settings.addAuthor : t.settings.editAuthor}
      centered
      size="lg"
      lockScroll={false}
      closeButtonProps={{ "aria-label": t.settings.close }}
    >
      <AuthorForm
        profile={dialog.kind === "edit" ? dialog.profile : undefined}
        onCancel={close}
        onDone={(saved) => {
          notifySuccess(dialog.kind === "new" ? t.settings.authorCreated(saved.name) : t.settings.authorUpdated(saved.name));
          close();
        }}
      />
    </Modal>
  );
}

/** Settings → Author profiles: the voices articles are written in (editors and up change them). */
export function AuthorsPage() {
  const user = useUser();
  const write = can.writeContent(user.role);
  const profiles = useQuery(authorProfilesQuery);
  const [dialog, setDialog] = useState<Dialog>(null);

  return (
    <Stack gap="lg">
      <PageHeader
        title={t.settings.authorsTitle}
        intro={t.settings.authorsIntro}
        action={write ? <Button onClick={() => setDialog({ kind: "new" })}>{t.settings.addAuthor}</Button> : null}
      />
      {!write ? (
        <Alert color="blue" role="note">
          {t.settings.authorsReadOnly}
        </Alert>
      ) : null}
      {profiles.isPending ? (
        <Loading />
      ) : profiles.isError ? (
        <LoadError title={t.settings.authorsLoadFailed} error={profiles.error} onRetry={() => void profiles.refetch()} />
      ) : profiles.data.length === 0 ? (
        <Paper withBorder p="lg" radius="md" data-testid="authors-empty">
          <Text fw={500}>{t.settings.authorsEmpty}</Text>
          {write ? (
            <Text size="sm" c="dimmed">
              {t.settings.authorsEmptyHint}
            </Text>
          ) : null}
        </Paper>
      ) : (
        <Table aria-label={t.settings.authorsTitle} data-testid="authors-table" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t.settings.name}</Table.Th>
              <Table.Th scope="col">{t.settings.tone}</Table.Th>
              <Table.Th scope="col">{t.settings.language}</Table.Th>
              <Table.Th scope="col">{t.settings.status}</Table.Th>
              {write ? <Table.Th scope="col">{t.settings.actions}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {profiles.data.map((profile) => (
              <Table.Tr key={profile.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {profile.name}
                  </Text>
                  {profile.description ? (
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {profile.description}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{profile.tone}</Table.Td>
                <Table.Td>{profile.language}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={profile.is_active ? "green" : "gray"}>
                    {profile.is_active ? t.settings.active : t.settings.inactive}
                  </Badge>
                </Table.Td>
                {write ? (
                  <Table.Td>
                    <Group gap="xs">
                      <Button
                        size="xs"
                        variant="light"
                        aria-label={t.settings.editNamed(profile.name)}
                        onClick={() => setDialog({ kind: "edit", profile })}
                      >
                        {t.settings.edit}
                      </Button>
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        aria-label={t.settings.deleteNamed(profile.name)}
                        onClick={() => setDialog({ kind: "delete", profile })}
                      >
                        {t.settings.delete}
                      </Button>
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Dialogs dialog={dialog} close={() => setDialog(null)} />
    </Stack>
  );
}
