import { PasswordInput, type PasswordInputProps } from "@mantine/core";
import { useId } from "react";

import { t } from "../i18n/strings";

/**
 * A password field whose error and description are tied to the input for assistive
 * technology: Mantine's PasswordInput shows them but sets neither `aria-invalid` nor
 * `aria-describedby` on its input.
 */
export function SecretInput(props: PasswordInputProps) {
  const generated = useId();
  const id = props.id ?? generated;
  const describedBy = [props.description ? `${id}-description` : null, props.error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <PasswordInput
      visibilityToggleButtonProps={{ "aria-label": t.settings.toggleSecret }}
      {...props}
      id={id}
      aria-invalid={props.error ? true : undefined}
      aria-describedby={describedBy || undefined}
    />
  );
}
