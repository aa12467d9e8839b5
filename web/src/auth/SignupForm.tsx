import { Button, Group, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import type { RequestBody } from "../api/types";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { session } from "./session";

type RegisterBody = RequestBody<"/api/v1/auth/register/", "post">;
type Values = Required<RegisterBody>;
const FIELDS = ["email", "password", "account_name", "first_name", "last_name"] as const;

export function SignupForm({
  onSubmit = (body: RegisterBody) => session.signUp(body),
  onDone,
}: {
  onSubmit?: (body: RegisterBody) => Promise<void>;
  onDone?: () => void;
}) {
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(null);
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: { email: "", password: "", account_name: "", first_name: "", last_name: "" },
    validate: {
      email: (value) => (value.trim() === "" ? t.auth.required : /^\S+@\S+$/.test(value) ? null : t.auth.invalidEmail),
      password: (value) => (value === "" ? t.auth.required : null),
      account_name: (value) => (value.trim() === "" ? t.auth.required : null),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit({ ...values, email: values.email.trim(), account_name: values.account_name.trim() });
      onDone?.();
    } catch (error) {
      const { fieldErrors, formError: message } = formErrorsOf(error, FIELDS);
      form.setErrors(fieldErrors);
      if (message) setFormError({ message, requestId: error instanceof ApiError ? error.requestId : null });
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t.auth.signUp}>
      <Stack gap="md">
        <FormAlert message={formError?.message ?? null} requestId={formError?.requestId ?? null} />
        <Group grow align="flex-start">
          <TextInput label={t.auth.firstName} autoComplete="given-name" {...form.getInputProps("first_name")} />
          <TextInput label={t.auth.lastName} autoComplete="family-name" {...form.getInputProps("last_name")} />
        </Group>
        <TextInput label={t.auth.accountName} autoComplete="organization" required {...form.getInputProps("account_name")} />
        <TextInput label={t.auth.email} type="email" autoComplete="email" required {...form.getInputProps("email")} />
        <PasswordInput
          label={t.auth.password}
          description={t.auth.passwordHint}
          autoComplete="new-password"
          required
          {...form.getInputProps("password")}
        />
        <Button type="submit" loading={form.submitting} fullWidth>
          {t.auth.signUp}
        </Button>
      </Stack>
    </form>
  );
}
