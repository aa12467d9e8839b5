import { Button, Group, NativeSelect, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { sitesQuery, type Site } from "../sites/api";
import { ConfirmDialog } from "../shell/ConfirmDialog";
import { FormAlert } from "../shell/FormAlert";
import { notifySuccess } from "../shell/notify";
import { LoadError, Loading } from "../shell/QueryState";
import { grantsQuery, useGrantMutations, type Grant, type User } from "./api";
import { displayName, GRANTABLE } from "./roles";
import { useApiErrors } from "./useApiErrors";

/** Grant an editor or viewer a site: both chosen from lists; the API's errors at their fields. */
function GrantForm({ users, sites }: { users: User[]; sites: Site[] }) {
  const { grant } = useGrantMutations();
  const errors = useApiErrors(["user_id", "site_id"]);
  const form = useForm({
    mode: "controlled",
    initialValues: { user_id: "", site_id: "" },
    validate: {
      user_id: (value) => (value === "" ? t.settings.required : null),
      site_id: (value) => (value === "" ? t.settings.required : null),
    },
  });
  const grantees = users.filter((user) => GRANTABLE.has(user.role) && user.is_active);
  const submit = form.onSubmit(async (values) => {
    errors.clear();
    try {
      await grant.mutateAsync(values);
      const user = users.find((u) => u.id === values.user_id);
      const site = sites.find((s) => s.id === values.site_id);
      notifySuccess(t.settings.granted(user ? displayName(user) : "", site?.name ?? ""));
      form.reset();
    } catch (error) {
      errors.show(error, form.setErrors);
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={t.settings.grantAccess}>
      <Stack gap="sm">
        <FormAlert message={errors.problem?.message ?? null} requestId={errors.problem?.requestId ?? null} />
        <Group align="flex-start" gap="md">
          <NativeSelect
            label={t.settings.user}
            description={grantees.length === 0 ? t.settings.noGrantees : undefined}
            data={[
              { value: "", label: t.settings.chooseUser },
              ...grantees.map((user) => ({ value: user.id, label: `${displayName(user)} (${t.settings.roles[user.role] ?? user.role})` })),
            ]}
            {...form.getInputProps("user_id")}
          />
          <NativeSelect
            label={t.settings.site}
            description={sites.length === 0 ? t.settings.noSites : undefined}
            data={[{ value: "", label: t.settings.chooseSite }, ...sites.map((site) => ({ value: site.id, label: site.name }))]}
            {...form.getInputProps("site_id")}
          />
          <Button type="submit" mt={25} loading={form.submitting}>
            {t.settings.grantAccess}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Settings → Users → Site access: who (editors, viewers) may work on which site. */
export function SiteAccess({ users }: { users: User[] }) {
  const grants = useQuery(grantsQuery);
  const sites = useQuery(sitesQuery);
  const { revoke } = useGrantMutations();
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const userName = (id: string) => {
    const user = users.find((u) => u.id === id);
    return user ? displayName(user) : t.settings.unknownUser;
  };
  const siteName = (id: string) => sites.data?.find((s) => s.id === id)?.name ?? t.settings.unknownSite;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="access-heading">
      <Stack gap="md">
        <div>
          <Title order={2} size="h3" id="access-heading">
            {t.settings.accessTitle}
          </Title>
          <Text size="sm" c="dimmed">
            {t.settings.accessIntro}
          </Text>
        </div>
        <GrantForm users={users} sites={sites.data ?? []} />
        {grants.isPending ? (
          <Loading />
        ) : grants.isError ? (
          <LoadError title={t.settings.accessLoadFailed} error={grants.error} onRetry={() => void grants.refetch()} />
        ) : grants.data.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="grants-empty">
            {t.settings.accessEmpty}
          </Text>
        ) : (
          <Table aria-labelledby="access-heading" data-testid="grants-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t.settings.user}</Table.Th>
                <Table.Th scope="col">{t.settings.site}</Table.Th>
                <Table.Th scope="col">{t.settings.grantedAt}</Table.Th>
                <Table.Th scope="col">{t.settings.actions}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {grants.data.map((grant) => (
                <Table.Tr key={grant.id}>
                  <Table.Td>{userName(grant.user_id)}</Table.Td>
                  <Table.Td>{siteName(grant.site_id)}</Table.Td>
                  <Table.Td>{new Date(grant.created_at).toLocaleDateString()}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      aria-label={t.settings.revokeOf(userName(grant.user_id), siteName(grant.site_id))}
                      onClick={() => setRevoking(grant)}
                    >
                      {t.settings.revoke}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      {revoking ? (
        <ConfirmDialog
          title={t.settings.revoke}
          text={t.settings.revokeOf(userName(revoking.user_id), siteName(revoking.site_id))}
          confirm={t.settings.revoke}
          busy={revoke.isPending}
          error={null}
          onCancel={() => setRevoking(null)}
          onConfirm={() =>
            revoke.mutate(revoking.id, {
              onSuccess: () => {
                notifySuccess(t.settings.revoked(userName(revoking.user_id), siteName(revoking.site_id)));
                setRevoking(null);
              },
            })
          }
        />
      ) : null}
    </Paper>
  );
}
