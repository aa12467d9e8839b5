import { Alert, Group, Progress, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { t } from "../i18n/strings";
import { type Operation, operationQuery } from "./api";

/**
 * A started operation's progress bar, its message, and its end (the error in full when it
 * failed). `onFinished` runs once, when it reaches a final state (e.g. to refresh a list).
 */
export function OperationProgress({
  operationId,
  label,
  onFinished,
}: {
  operationId: string;
  label: string;
  onFinished?: (operation: Operation) => void;
}) {
  const operation = useQuery(operationQuery(operationId));
  const reported = useRef(false);
  const data = operation.data;
  useEffect(() => {
    if (data?.is_final && !reported.current) {
      reported.current = true;
      onFinished?.(data);
    }
  }, [data, onFinished]);

  if (!data) return <Text size="sm">{t.operations.starting}</Text>;
  const failed = data.state === "failed" || data.state === "cancelled";
  return (
    <Stack gap={4} data-testid="operation-progress" data-state={data.state}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm" c="dimmed">
          {t.operations.state[data.state]}
        </Text>
      </Group>
      <Progress
        value={data.state === "succeeded" ? 100 : data.percent}
        color={failed ? "red" : data.state === "succeeded" ? "green" : "blue"}
        aria-label={label}
        animated={!data.is_final}
      />
      {data.message ? <Text size="xs">{data.message}</Text> : null}
      {failed && data.error ? (
        <Alert color="red" role="alert" p="xs">
          <Text size="sm">{data.error}</Text>
        </Alert>
      ) : null}
    </Stack>
  );
}
