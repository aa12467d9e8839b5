import { NativeSelect } from "@mantine/core";

import { t } from "../i18n/strings";
import { useWorkspace } from "../sites/workspace";
import classes from "./layout.module.css";

/** Site and sector pickers in the header (native selects: keyboard and screen-reader friendly). */
export function WorkspaceSwitcher() {
  const { sites, site, sectors, sector, selectSite, selectSector } = useWorkspace();
  if (sites.length === 0) {
    return null;
  }
  return (
    <>
      <NativeSelect
        className={classes.switcher}
        size="xs"
        label={t.shell.site}
        value={site?.id ?? ""}
        onChange={(event) => selectSite(event.currentTarget.value)}
        data={sites.map((s) => ({ value: s.id, label: s.name }))}
      />
      <NativeSelect
        className={classes.switcher}
        size="xs"
        label={t.shell.sector}
        value={sector?.id ?? ""}
        onChange={(event) => selectSector(event.currentTarget.value || null)}
        data={[{ value: "", label: t.shell.allSectors }, ...sectors.map((s) => ({ value: s.id, label: s.name }))]}
      />
    </>
  );
}
