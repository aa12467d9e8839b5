import {
  Alert,
  Button,
  Code,
  Group,
  Modal,
  Popover,
  Progress,
  Stack,
  Table,
  Text,
  UnstyledButton,
} from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { t } from "../i18n/strings";
import { LoadError, Loading } from "../shell/QueryState";
import { type Operation, operationQuery, trayKey, trayQuery } from "./api";
import { startEventStream, type StreamStatus } from "./stream";
import classes from "./tray.module.css";

const failedState = (o: Operation) => o.state === "failed" || o.state === "cancelled";
const colorOf = (o: Operation) => (failedState(o) ? "red" : o.state === "succeeded" ? "green" : "blue");

/** Reads the account's event stream for as long as the app shell is shown. */
export function useEventStream(): StreamStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("connecting");
  useEffect(() => startEventStream(client, { onStatus: setStatus }), [client]);
  return status;
}

function TrayItem({ operation, onOpen }: { operation: Operation; onOpen: (id: string) => void }) {
  const kind = t.operations.kind(operation.kind);
  const state = t.operations.state[operation.state];
  return (
    <UnstyledButton
      className={classes.item}
      onClick={() => onOpen(operation.id)}
      data-testid="tray-item"
      data-operation-id={operation.id}
      data-state={operation.state}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={500} truncate>
          {kind}
        </Text>
        <Text size="xs" c="dimmed">
          {state}
          {operation.is_final ? "" : ` · ${operation.percent}%`}
        </Text>
      </Group>
      <Progress
        value={operation.state === "succeeded" ? 100 : operation.percent}
        color={colorOf(operation)}
        animated={!operation.is_final}
        aria-hidden
      />
      {operation.message ? (
        <Text size="xs" c="dimmed" truncate>
          {operation.message}
        </Text>
      ) : null}
    </UnstyledButton>
  );
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row">{label}</Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** One operation in full: its state, and its result or its error. */
export function OperationDetail({ operationId }: { operationId: string }) {
  const answer = useQuery(operationQuery(operationId));
  if (answer.isPending) return <Loading />;
  if (answer.isError) return <LoadError title={t.operations.trayLoadFailed} error={answer.error} onRetry={() => void answer.refetch()} />;
  const o = answer.data;
  return (
    <Stack gap="sm" data-testid="operation-detail" data-state={o.state}>
      <Progress
        value={o.state === "succeeded" ? 100 : o.percent}
        color={colorOf(o)}
        aria-label={t.operations.kind(o.kind)}
      />
      <Table withRowBorders={false}>
        <Table.Tbody>
          <Detail label={t.operations.phase}>
            {t.operations.state[o.state]} · {o.phase} · {o.percent}%
          </Detail>
          <Detail label={t.operations.started}>{new Date(o.created_at).toLocaleString()}</Detail>
          <Detail label={t.operations.updated}>{new Date(o.updated_at).toLocaleString()}</Detail>
          {o.cost !== null ? <Detail label={t.operations.cost}>{o.cost}</Detail> : null}
        </Table.Tbody>
      </Table>
      {o.message ? <Text size="sm">{o.message}</Text> : null}
      {failedState(o) && o.error ? (
        <Alert color="red" role="alert" title={t.operations.error}>
          {o.error}
        </Alert>
      ) : null}
      {o.result ? (
        <div>
          <Text size="sm" fw={500}>
            {t.operations.result}
          </Text>
          <Code block data-testid="operation-result">
            {JSON.stringify(o.result, null, 2)}
          </Code>
        </div>
      ) : o.is_final && !o.error ? (
        <Text size="sm" c="dimmed">
          {t.operations.noResult}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The header's operations tray: a progress bar for every running operation of the account
 * (kept current by the event stream); a click shows its result or its error. */
export function OperationsTray() {
  const client = useQueryClient();
  const status = useEventStream();
  const tray = useQuery(trayQuery(client));
  const [opened, setOpened] = useState(false);
  const [detail, setDetail] = useState<string | null>(null);
  const list = tray.data ?? [];
  const running = list.filter((o) => !o.is_final).length;
  const detailKind = detail ? t.operations.kind(client.getQueryData(operationQuery(detail).queryKey)?.kind ?? "") : "";

  return (
    <>
      <Popover opened={opened} onChange={setOpened} width={360} position="bottom-end" shadow="md" trapFocus>
        <Popover.Target>
          <Button
            variant={running > 0 ? "filled" : "light"}
            size="xs"
            onClick={() => setOpened((o) => !o)}
            data-testid="operations-tray"
            data-running={running}
          >
            {t.operations.trayButton(running)}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="xs" role="region" aria-label={t.operations.trayTitle}>
            <Text fw={600} size="sm">
              {t.operations.trayTitle}
            </Text>
            {status === "reconnecting" ? (
              <Text size="xs" c="orange.9">
                {t.operations.streamOffline}
              </Text>
            ) : null}
            {tray.isPending ? (
              <Loading />
            ) : tray.isError ? (
              <LoadError title={t.operations.trayLoadFailed} error={tray.error} onRetry={() => void tray.refetch()} />
            ) : list.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t.operations.trayEmpty}
              </Text>
            ) : (
              <ul className={classes.list}>
                {list.map((operation) => (
                  <li key={operation.id}>
                    <TrayItem
                      operation={operation}
                      onOpen={(id) => {
                        setOpened(false);
                        setDetail(id);
                      }}
                    />
                  </li>
                ))}
              </ul>
            )}
            {list.some((o) => o.is_final) ? (
              <Button
                variant="subtle"
                size="xs"
                onClick={() => client.setQueryData<Operation[]>(trayKey, (l) => (l ?? []).filter((o) => !o.is_final))}
              >
                {t.operations.clearFinished}
              </Button>
            ) : null}
          </Stack>
        </Popover.Dropdown>
      </Popover>
      <Modal
        opened={detail !== null}
        onClose={() => setDetail(null)}
        title={t.operations.detailTitle(detailKind)}
        size="lg"
        lockScroll={false}
        closeButtonProps={{ "aria-label": t.operations.close }}
      >
        {detail ? <OperationDetail operationId={detail} /> : null}
      </Modal>
    </>
  );
}
