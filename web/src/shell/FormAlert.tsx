import { Alert, Text } from "@mantine/core";

import { t } from "../i18n/strings";

/** An error of the whole form (not of one field), with the request id when there is one. */
export function FormAlert({ message, requestId }: { message: string | null; requestId?: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" title={t.errors.title}>
      <Text size="sm">{message}</Text>
      {requestId ? (
        <Text size="xs" c="dimmed">
          {t.errors.requestId(requestId)}
        </Text>
      ) : null}
    </Alert>
  );
}
