import { Group, Pagination, Text } from "@mantine/core";

import { t } from "../i18n/strings";
import { PAGE_SIZE } from "./api";

/** "Showing n of N" and the page numbers under a list. */
export function Paged({ page, count, shown, onPage }: { page: number; count: number; shown: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t.writer.showing(shown, count)}
      </Text>
      {pages > 1 ? <Pagination
          total={pages}
          value={page}
          onChange={onPage}
          size="sm"
          aria-label={t.writer.pages}
          getItemProps={(n) => ({ "aria-label": t.writer.page(n) })}
          getControlProps={(control) => ({
            "aria-label": control === "next" ? t.writer.nextPage : t.writer.previousPage,
          })}
        /> : null}
    </Group>
  );
}
