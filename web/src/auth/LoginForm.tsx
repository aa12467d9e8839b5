import { Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import type { RequestBody } from "../api/types";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";
import { session } from "./session";

type LoginBody = RequestBody<"/api/v1/auth/login/", "post">;
const FIELDS = ["email", "password"] as const;

export function LoginForm({
  onSubmit = (body: LoginBody) => session.signIn(body),
  onDone,
}: {
  onSubmit?: (body: LoginBody) => Promise<void>;
  onDone?: () => void;
}) {
  const [formError, setFormError] = useState<{ message: string; requestId: string | null } | null>(null);
  const form = useForm<LoginBody>({
    mode: "controlled",
    initialValues: { email: "", password: "" },
    validate: {
      email: (value) => (value.trim() === "" ? t.auth.required : /^\S+@\S+$/.test(value) ? null : t.auth.invalidEmail),
      password: (value) => (value === "" ? t.auth.required : null),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await onSubmit({ email: values.email.trim(), password: values.password });
      onDone?.();
    } catch (error) {
      const { fieldErrors, formError: message } = formErrorsOf(error, FIELDS);
      form.setErrors(fieldErrors);
      if (message) setFormError({ message, requestId: error instanceof ApiError ? error.requestId : null });
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t.auth.signIn}>
      <Stack gap="md">
        <FormAlert message={formError?.message ?? null} requestId={formError?.requestId ?? null} />
        <TextInput
          label={t.auth.email}
          type="email"
          autoComplete="username"
          required
          {...form.getInputProps("email")}
        />
        <PasswordInput
          label={t.auth.password}
          autoComplete="current-password"
          required
          {...form.getInputProps("password")}
        />
        <Button type="submit" loading={form.submitting} fullWidth>
          {t.auth.signIn}
        </Button>
      </Stack>
    </form>
  );
}
