import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { t } from "../i18n/strings";
import { OperationProgress } from "../operations/OperationProgress";
import { LoadError, Loading } from "../shell/QueryState";
import { estimateQuery, useRefreshWriter, useStartOperation, type EstimateRequest, type StartRequest } from "./api";
import { StartError } from "./CreditsNeeded";

/** What the operation would cost, as the API prices it, before anything starts. */
export function CostEstimate({ request }: { request: EstimateRequest }) {
  const estimate = useQuery(estimateQuery(request));
  if (estimate.isPending) return <Loading label={t.writer.estimating} />;
  if (estimate.isError)
    return <LoadError title={t.writer.estimateFailed} error={estimate.error} onRetry={() => void estimate.refetch()} />;
  const { credits, available_credits: available, enough } = estimate.data;
  return (
    <Alert color={enough ? "blue" : "orange"} data-testid="cost-estimate">
      <Text size="sm">{t.writer.cost(credits, available)}</Text>
      {enough ? null : (
        <Text size="sm" fw={600}>
          {t.writer.notEnough(credits, available)}
        </Text>
      )}
    </Alert>
  );
}

/**
 * A paid operation's dialog: its options (`children`), its cost from the API, Start, then its
 * progress until it ends (the writer's lists are read again then). A refusal (402: "needs X
 * credits, you have Y") shows in place and nothing starts.
 */
export function OperationDialog({
  title,
  estimate,
  request,
  progressLabel,
  onClose,
  children,
}: {
  title: string;
  estimate: EstimateRequest;
  request: () => StartRequest;
  progressLabel: string;
  onClose: () => void;
  children?: React.ReactNode;
}) {
  const start = useStartOperation();
  const refresh = useRefreshWriter();
  const [finished, setFinished] = useState(false);
  const operationId = start.data?.operation_id;
  return (
    <Modal opened onClose={onClose} title={title} centered lockScroll={false} closeButtonProps={{ "aria-label": t.writer.close }}>
      {operationId ? (
        <Stack gap="md">
          <OperationProgress
            operationId={operationId}
            label={progressLabel}
            onFinished={() => {
              setFinished(true);
              void refresh();
            }}
          />
          {finished ? <Text size="sm">{t.writer.operationDone}</Text> : null}
          <Group justify="flex-end">
            <Button onClick={onClose}>{t.writer.close}</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          {children}
          <CostEstimate request={estimate} />
          <StartError error={start.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t.writer.cancel}
            </Button>
            <Button loading={start.isPending} onClick={() => start.mutate(request())} data-autofocus>
              {t.writer.start}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
