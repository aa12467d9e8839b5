/**
 * The site and sector the Planner, Writer and Publishing pages work in, chosen at the top of
 * the app and remembered per user in this browser (localStorage).
 */
import { useQuery } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useState } from "react";

import { useUser } from "../auth/useSession";
import { sectorsQuery, sitesQuery, type Sector, type Site } from "./api";

interface Workspace {
  sites: Site[];
  site: Site | null;
  sectors: Sector[];
  sector: Sector | null;
  selectSite: (id: string) => void;
  selectSector: (id: string | null) => void;
}

const WorkspaceContext = createContext<Workspace | null>(null);

function remembered(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function remember(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Storage unavailable (private mode): the choice lasts for this page only.
  }
}

export function WorkspaceProvider({ children }: { children: React.ReactNode }) {
  const user = useUser();
  const siteKey = `igny8.site.${user.id}`;
  const sectorKey = `igny8.sector.${user.id}`;
  const [siteId, setSiteId] = useState<string | null>(() => remembered(siteKey));
  const [sectorId, setSectorId] = useState<string | null>(() => remembered(sectorKey));

  const sitesAnswer = useQuery(sitesQuery);
  const sites = useMemo(() => sitesAnswer.data ?? [], [sitesAnswer.data]);
  const site = sites.find((s) => s.id === siteId) ?? sites[0] ?? null;
  const sectorsAnswer = useQuery({ ...sectorsQuery(site?.id ?? ""), enabled: site !== null });
  const sectors = useMemo(() => (site ? (sectorsAnswer.data ?? []) : []), [site, sectorsAnswer.data]);
  const sector = sectors.find((s) => s.id === sectorId) ?? null;

  const selectSite = useCallback(
    (id: string) => {
      setSiteId(id);
      remember(siteKey, id);
      setSectorId(null);
      remember(sectorKey, null);
    },
    [siteKey, sectorKey],
  );
  const selectSector = useCallback(
    (id: string | null) => {
      setSectorId(id);
      remember(sectorKey, id);
    },
    [sectorKey],
  );

  const value = useMemo(
    () => ({ sites, site, sectors, sector, selectSite, selectSector }),
    [sites, site, sectors, sector, selectSite, selectSector],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("useWorkspace outside WorkspaceProvider");
  return workspace;
}
