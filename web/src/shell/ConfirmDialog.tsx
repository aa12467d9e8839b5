import { Button, Group, Modal, Stack, Text } from "@mantine/core";

import { ApiError } from "../api/errors";
import { formErrorsOf } from "../api/forms";
import { t } from "../i18n/strings";
import { FormAlert } from "../shell/FormAlert";

/** A question before a destructive or weighty step; the API's refusal (if any) shows inside it. */
export function ConfirmDialog({
  title,
  text,
  confirm,
  busy,
  error,
  color = "red",
  onConfirm,
  onCancel,
}: {
  title: string;
  text: string;
  confirm: string;
  busy: boolean;
  error: unknown;
  /** Red for what cannot be undone; the theme's colour for a weighty but ordinary step. */
  color?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal opened onClose={onCancel} title={title} centered lockScroll={false} closeButtonProps={{ "aria-label": t.sites.close }}>
      <Stack gap="md">
        <FormAlert
          message={error ? formErrorsOf(error, []).formError : null}
          requestId={error instanceof ApiError ? error.requestId : null}
        />
        <Text size="sm">{text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t.sites.cancel}
          </Button>
          <Button color={color} loading={busy} onClick={onConfirm} data-autofocus>
            {confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
