import { Checkbox } from "@mantine/core";
import { useCallback, useState } from "react";

import { t } from "../i18n/strings";

/** Rows chosen for a bulk action (kept across pages until cleared). */
export function useSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback((id: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const setMany = useCallback((ids: string[], on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }, []);
  const clear = useCallback(() => setSelected(new Set()), []);
  return { selected, ids: [...selected], toggle, setMany, clear };
}

export type Selection = ReturnType<typeof useSelection>;

/** The header checkbox: every row of the page on or off. */
export function SelectAll({ selection, ids }: { selection: Selection; ids: string[] }) {
  const chosen = ids.filter((id) => selection.selected.has(id)).length;
  return (
    <Checkbox
      aria-label={t.writer.selectAll}
      checked={ids.length > 0 && chosen === ids.length}
      indeterminate={chosen > 0 && chosen < ids.length}
      onChange={(event) => selection.setMany(ids, event.currentTarget.checked)}
    />
  );
}

export function SelectRow({ selection, id, name }: { selection: Selection; id: string; name: string }) {
  return (
    <Checkbox
      aria-label={t.writer.selectRow(name)}
      checked={selection.selected.has(id)}
      onChange={(event) => selection.toggle(id, event.currentTarget.checked)}
    />
  );
}
