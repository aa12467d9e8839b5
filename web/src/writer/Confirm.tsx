import { Button, Group, Modal, Stack, Text } from "@mantine/core";

import { t } from "../i18n/strings";

/** A yes/no question before something that cannot be undone. */
export function ConfirmDialog({
  title,
  text,
  confirm,
  busy,
  onConfirm,
  onClose,
}: {
  title: string;
  text: string;
  confirm: string;
  busy: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened onClose={onClose} title={title} centered lockScroll={false} closeButtonProps={{ "aria-label": t.writer.close }}>
      <Stack gap="md">
        <Text size="sm">{text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t.writer.cancel}
          </Button>
          <Button color="red" loading={busy} onClick={onConfirm} data-autofocus>
            {confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
