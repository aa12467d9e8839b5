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
import { usersQuery, useUserMutations, type User } from "./api";
import { assignableRoles, canManageUser, displayName } from "./roles";
import { SiteAccess } from "./SiteAccess";
import { NewUserForm, RoleForm } from "./UserForms";

type Dialog = { kind: "new" } | { kind: "role"; user: User } | { kind: "deactivate"; user: User } | null;

function UsersTable({ users, meId, open }: { users: User[]; meId: string; open: (d: Dialog) => void }) {
  const me = useUser();
  return (
    <Table aria-label={t.settings.usersTitle} data-testid="users-table" highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t.settings.name}</Table.Th>
          <Table.Th scope="col">{t.settings.email}</Table.Th>
          <Table.Th scope="col">{t.settings.role}</Table.Th>
          <Table.Th scope="col">{t.settings.status}</Table.Th>
          <Table.Th scope="col">{t.settings.actions}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {users.map((user) => {
          const self = user.id === meId;
          const manage = user.is_active && canManageUser(me.role, user.role, self);
          const name = displayName(user);
          return (
            <Table.Tr key={user.id}>
              <Table.Td>
                {name}
                {self ? ` (${t.settings.you})` : ""}
              </Table.Td>
              <Table.Td>{user.email}</Table.Td>
              <Table.Td>{t.settings.roles[user.role] ?? user.role}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={user.is_active ? "green" : "gray"}>
                  {user.is_active ? t.settings.active : t.settings.deactivated}
                </Badge>
              </Table.Td>
              <Table.Td>
                {manage ? (
                  <Group gap="xs">
                    <Button size="xs" variant="light" aria-label={t.settings.changeRoleOf(name)} onClick={() => open({ kind: "role", user })}>
                      {t.settings.changeRole}
                    </Button>
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      aria-label={t.settings.deactivateOf(name)}
                      onClick={() => open({ kind: "deactivate", user })}
                    >
                      {t.settings.deactivate}
                    </Button>
                  </Group>
                ) : null}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function Dialogs({ dialog, close }: { dialog: Dialog; close: () => void }) {
  const me = useUser();
  const { deactivate } = useUserMutations();
  if (dialog === null) return null;
  if (dialog.kind === "deactivate") {
    const name = displayName(dialog.user);
    return (
      <ConfirmDialog
        title={t.settings.deactivateOf(name)}
        text={t.settings.confirmDeactivate(name)}
        confirm={t.settings.deactivate}
        busy={deactivate.isPending}
        error={deactivate.error}
        onCancel={() => {
          deactivate.reset();
          close();
        }}
        onConfirm={() =>
          deactivate.mutate(dialog.user.id, {
            onSuccess: () => {
              notifySuccess(t.settings.userDeactivated(name));
              close();
            },
          })
        }
      />
    );
  }
  const roles = assignableRoles(me.role);
  return (
    <Modal
      opened
      onClose={close}
      title={dialog.kind === "new" ? t.settings.addUser : t.settings.changeRoleOf(displayName(dialog.user))}
      centered
      lockScroll={false}
      closeButtonProps={{ "aria-label": t.settings.close }}
    >
      {dialog.kind === "new" ? (
        <NewUserForm
          roles={roles}
          onCancel={close}
          onDone={(user) => {
            notifySuccess(t.settings.userAdded(user.email));
            close();
          }}
        />
      ) : (
        <RoleForm
          user={dialog.user}
          roles={roles}
          onCancel={close}
          onDone={(user) => {
            notifySuccess(t.settings.roleChanged(displayName(user), t.settings.roles[user.role] ?? user.role));
            close();
          }}
        />
      )}
    </Modal>
  );
}

/** Settings → Users & roles: the account's users (add, change role, deactivate) and which
 * editors and viewers may work on which site. Owners and admins only. */
export function UsersPage() {
  const me = useUser();
  const manage = can.manageUsers(me.role);
  const [dialog, setDialog] = useState<Dialog>(null);
  const users = useQuery({ ...usersQuery, enabled: manage });

  return (
    <Stack gap="lg">
      <PageHeader
        title={t.settings.usersTitle}
        intro={t.settings.usersIntro}
        action={manage ? <Button onClick={() => setDialog({ kind: "new" })}>{t.settings.addUser}</Button> : null}
      />
      {!manage ? (
        <Alert color="blue" role="note" data-testid="users-managers-only">
          {t.settings.usersManagersOnly}
        </Alert>
      ) : users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <LoadError title={t.settings.usersLoadFailed} error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <>
          {users.data.length <= 1 ? (
            <Paper withBorder p="md" radius="md" data-testid="users-empty">
              <Text size="sm">{t.settings.usersEmpty}</Text>
            </Paper>
          ) : null}
          <UsersTable users={users.data} meId={me.id} open={setDialog} />
          <SiteAccess users={users.data} />
        </>
      )}
      <Dialogs dialog={dialog} close={() => setDialog(null)} />
    </Stack>
  );
}
