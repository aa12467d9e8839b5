import { Button, Group } from "@mantine/core";

import { t } from "../i18n/strings";

/** A dialog form's buttons: cancel, and submit (busy while the API answers). */
export function FormButtons({ submit, busy, onCancel }: { submit: string; busy: boolean; onCancel: () => void }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t.settings.cancel}
      </Button>
      <Button type="submit" loading={busy}>
        {submit}
      </Button>
    </Group>
  );
}
