import { Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";

import { ApiError } from "../api/errors";
import { t } from "../i18n/strings";

/** A toast for a failure, with the request id to quote to support. */
export function notifyError(error: unknown, title: string = t.errors.title): void {
  const message = error instanceof Error ? error.message : t.errors.unknown;
  const requestId = error instanceof ApiError ? error.requestId : null;
  notifications.show({
    color: "red",
    title,
    autoClose: 12_000,
    closeButtonProps: { "aria-label": t.errors.dismiss },
    message: (
      <>
        <Text size="sm">{message}</Text>
        {requestId ? (
          <Text size="xs" c="dimmed" data-testid="toast-request-id">
            {t.errors.requestId(requestId)}
          </Text>
        ) : null}
      </>
    ),
  });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: "green", message, autoClose: 4_000, closeButtonProps: { "aria-label": t.errors.dismiss } });
}
