import { Group, NativeSelect, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";

import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { useUserMutations, type Role, type User } from "./api";
import { FormButtons } from "./FormButtons";
import { SecretInput } from "./SecretInput";
import { useApiErrors } from "./useApiErrors";

const roleOptions = (roles: readonly Role[]) => roles.map((role) => ({ value: role, label: t.settings.roles[role] ?? role }));

const NEW_USER_FIELDS = ["email", "password", "role", "first_name", "last_name"] as const;

/** Add a user to the account with a role (owners and admins; only owners offer "owner"). */
export function NewUserForm({
  roles,
  onDone,
  onCancel,
}: {
  roles: readonly Role[];
  onDone: (user: User) => void;
  onCancel: () => void;
}) {
  const { create } = useUserMutations();
  const errors = useApiErrors(NEW_USER_FIELDS);
  const form = useForm({
    mode: "controlled",
    initialValues: { email: "", password: "", role: (roles.includes("editor") ? "editor" : roles[0]) ?? "viewer", first_name: "", last_name: "" },
    validate: {
      email: (value) => (value.trim() === "" ? t.settings.required : null),
      password: (value) => (value === "" ? t.settings.required : null),
    },
  });
  const submit = form.onSubmit(async (values) => {
    errors.clear();
    try {
      onDone(
        await create.mutateAsync({
          email: values.email.trim(),
          password: values.password,
          role: values.role,
          first_name: values.first_name.trim(),
          last_name: values.last_name.trim(),
        }),
      );
    } catch (error) {
      errors.show(error, form.setErrors);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={errors.problem?.message ?? null} requestId={errors.problem?.requestId ?? null} />
        <TextInput label={t.settings.email} type="email" required data-autofocus {...form.getInputProps("email")} />
        <Group grow>
          <TextInput label={t.settings.firstName} {...form.getInputProps("first_name")} />
          <TextInput label={t.settings.lastName} {...form.getInputProps("last_name")} />
        </Group>
        <SecretInput
          label={t.settings.password}
          description={t.settings.passwordHint}
          required
          autoComplete="new-password"
          {...form.getInputProps("password")}
        />
        <NativeSelect label={t.settings.role} data={roleOptions(roles)} {...form.getInputProps("role")} />
        <FormButtons submit={t.settings.create} busy={form.submitting} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

/** Change a user's role; the API's refusal (own role, last owner...) shows at the field. */
export function RoleForm({
  user,
  roles,
  onDone,
  onCancel,
}: {
  user: User;
  roles: readonly Role[];
  onDone: (user: User) => void;
  onCancel: () => void;
}) {
  const { update } = useUserMutations();
  const errors = useApiErrors(["role"]);
  // The current role stays listed (an admin looking at an owner), even if it may not be given.
  const offered = roles.includes(user.role) ? roles : [user.role, ...roles];
  const form = useForm({ mode: "controlled", initialValues: { role: user.role } });
  const submit = form.onSubmit(async (values) => {
    errors.clear();
    try {
      onDone(await update.mutateAsync({ id: user.id, changes: { role: values.role } }));
    } catch (error) {
      errors.show(error, form.setErrors);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormAlert message={errors.problem?.message ?? null} requestId={errors.problem?.requestId ?? null} />
        <NativeSelect label={t.settings.role} data={roleOptions(offered)} data-autofocus {...form.getInputProps("role")} />
        <FormButtons submit={t.settings.save} busy={form.submitting} onCancel={onCancel} />
      </Stack>
    </form>
  );
}
