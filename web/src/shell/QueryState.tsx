import { Alert, Button, Group, Loader, Text } from "@mantine/core";

import { ApiError } from "../api/errors";
import { t } from "../i18n/strings";

export function Loading({ label = t.app.loading }: { label?: string }) {
  return (
    <Group gap="xs" role="status" aria-live="polite">
      <Loader size="sm" aria-hidden />
      <Text size="sm">{label}</Text>
    </Group>
  );
}

/** A list's error state: what failed, the API's message and request id, and a retry. */
export function LoadError({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => void }) {
  const message = error instanceof Error ? error.message : t.errors.unknown;
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <Alert color="red" title={title} role="alert">
      <Text size="sm">{message}</Text>
      {requestId ? (
        <Text size="xs" c="dimmed">
          {t.errors.requestId(requestId)}
        </Text>
      ) : null}
      <Button mt="sm" size="xs" variant="light" color="red" onClick={onRetry}>
        {t.errors.retry}
      </Button>
    </Alert>
  );
}
