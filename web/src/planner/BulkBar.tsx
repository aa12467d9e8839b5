import { Button, Group, NativeSelect, Text } from "@mantine/core";
import { useState } from "react";

import { t } from "../i18n/strings";
import { KEYWORD_STATUSES, type KeywordStatus } from "./api";

/** What can be done to the selected rows: set their status, delete them. */
export function BulkBar({
  count,
  busy,
  onStatus,
  onDelete,
}: {
  count: number;
  busy: boolean;
  onStatus: (status: KeywordStatus) => void;
  onDelete: () => void;
}) {
  const [status, setStatus] = useState<KeywordStatus>("archived");
  if (count === 0) return null;
  return (
    <Group gap="sm" align="flex-end" role="toolbar" aria-label={t.planner.selected(count)} data-testid="bulk-bar">
      <Text size="sm" fw={500} aria-live="polite">
        {t.planner.selected(count)}
      </Text>
      <NativeSelect
        size="xs"
        label={t.planner.keywords.setStatus}
        value={status}
        onChange={(event) => setStatus(event.currentTarget.value as KeywordStatus)}
        data={KEYWORD_STATUSES.map((s) => ({ value: s, label: t.planner.status[s] }))}
      />
      <Button size="xs" variant="light" loading={busy} onClick={() => onStatus(status)}>
        {t.planner.apply}
      </Button>
      <Button size="xs" color="red" variant="light" disabled={busy} onClick={onDelete}>
        {t.planner.keywords.deleteSelected}
      </Button>
    </Group>
  );
}
