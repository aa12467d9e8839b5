import { Checkbox, Group, Loader, Table, Text, UnstyledButton } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";

import { t } from "../i18n/strings";
import type { Keyword, KeywordOrdering } from "./api";
import { EditableCell } from "./EditableCell";
import classes from "./planner.module.css";

const ROW_HEIGHT = 44;
/** Rows from the end of what is loaded at which the next page is asked for. */
const PREFETCH_ROWS = 60;

type SortKey = "keyword" | "volume" | "difficulty";

function SortHeader({ column, label, ordering, onSort }: {
  column: SortKey;
  label: string;
  ordering: KeywordOrdering;
  onSort: (ordering: KeywordOrdering) => void;
}) {
  const direction = ordering === column ? "ascending" : ordering === `-${column}` ? "descending" : "none";
  const next: KeywordOrdering = ordering === column ? `-${column}` : column;
  return (
    <Table.Th scope="col" aria-sort={direction}>
      <UnstyledButton onClick={() => onSort(next)} aria-label={t.planner.keywords.sortBy(label)} fw={600} fz="sm">
        {label} {direction === "ascending" ? "▲" : direction === "descending" ? "▼" : ""}
      </UnstyledButton>
    </Table.Th>
  );
}

export interface KeywordTableProps {
  rows: Keyword[];
  total: number;
  hasMore: boolean;
  loadingMore: boolean;
  onNeedMore: () => void;
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  ordering: KeywordOrdering;
  onSort: (ordering: KeywordOrdering) => void;
  clusterNames: ReadonlyMap<string, string>;
  canWrite: boolean;
}

/**
 * The keywords as a table that stays smooth on 100,000 rows: only the rows in view (and a few
 * around) are in the DOM, spacer rows keep the scroll height, and the next keyset page is
 * asked for as the end of what is loaded comes near.
 */
export function KeywordTable(props: KeywordTableProps) {
  const { rows, total, hasMore, loadingMore, onNeedMore, selected, onSelect, ordering, onSort, clusterNames, canWrite } = props;
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's functions are not memoised, as its docs say
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1000, height: 600 },
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const lastIndex = last?.index ?? -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - PREFETCH_ROWS) onNeedMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onNeedMore]);

  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const someSelected = !allSelected && rows.some((row) => selected.has(row.id));
  const paddingTop = first?.start ?? 0;
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const columns = canWrite ? 8 : 7;

  return (
    <div
      ref={scroller}
      className={classes.scroller}
      role="region"
      aria-label={t.planner.keywords.table}
      data-testid="keywords-scroller"
    >
      <Table stickyHeader aria-label={t.planner.keywords.table} aria-rowcount={total + 1} data-testid="keywords-table">
        <Table.Thead>
          <Table.Tr aria-rowindex={1}>
            {canWrite ? (
              <Table.Th scope="col" w={40}>
                <Checkbox
                  aria-label={t.planner.selectAll}
                  checked={allSelected}
                  indeterminate={someSelected}
                  onChange={(event) => onSelect(rows.map((row) => row.id), event.currentTarget.checked)}
                />
              </Table.Th>
            ) : null}
            <SortHeader column="keyword" label={t.planner.keywords.keyword} ordering={ordering} onSort={onSort} />
            <SortHeader column="volume" label={t.planner.keywords.volume} ordering={ordering} onSort={onSort} />
            <SortHeader column="difficulty" label={t.planner.keywords.difficulty} ordering={ordering} onSort={onSort} />
            <Table.Th scope="col">{t.planner.keywords.cpc}</Table.Th>
            <Table.Th scope="col">{t.planner.keywords.intentLabel}</Table.Th>
            <Table.Th scope="col">{t.planner.keywords.statusLabel}</Table.Th>
            <Table.Th scope="col">{t.planner.keywords.cluster}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {paddingTop > 0 ? (
            <tr className={classes.spacer} aria-hidden>
              <td colSpan={columns} style={{ height: paddingTop }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <Table.Tr
                key={row.id}
                data-index={item.index}
                ref={virtualizer.measureElement}
                aria-rowindex={item.index + 2}
                className={classes.row}
                data-testid="keyword-row"
              >
                {canWrite ? (
                  <Table.Td>
                    <Checkbox
                      aria-label={t.planner.selectRow(row.keyword)}
                      checked={selected.has(row.id)}
                      onChange={(event) => onSelect([row.id], event.currentTarget.checked)}
                    />
                  </Table.Td>
                ) : null}
                <Table.Td>
                  <EditableCell row={row} field="keyword" editable={canWrite} />
                </Table.Td>
                <Table.Td>
                  <EditableCell row={row} field="volume" editable={canWrite} />
                </Table.Td>
                <Table.Td>
                  <EditableCell row={row} field="difficulty" editable={canWrite} />
                </Table.Td>
                <Table.Td>
                  <EditableCell row={row} field="cpc" editable={canWrite} />
                </Table.Td>
                <Table.Td>
                  <EditableCell row={row} field="intent" editable={canWrite} />
                </Table.Td>
                <Table.Td>{t.planner.status[row.status]}</Table.Td>
                <Table.Td>{row.cluster_id ? (clusterNames.get(row.cluster_id) ?? t.planner.none) : t.planner.keywords.unclustered}</Table.Td>
              </Table.Tr>
            );
          })}
          {paddingBottom > 0 ? (
            <tr className={classes.spacer} aria-hidden>
              <td colSpan={columns} style={{ height: paddingBottom }} />
            </tr>
          ) : null}
        </Table.Tbody>
      </Table>
      {loadingMore ? (
        <Group gap="xs" p="xs" role="status">
          <Loader size="xs" aria-hidden />
          <Text size="sm">{t.planner.keywords.loadingMore}</Text>
        </Group>
      ) : null}
    </div>
  );
}
