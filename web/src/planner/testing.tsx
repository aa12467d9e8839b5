/** Fixtures of the planner's component tests: a site and sector chosen in the workspace, and
 * keywords, clusters and ideas as the API lists them. */
import { configure } from "@testing-library/react";
import { vi } from "vitest";

import { WorkspaceProvider } from "../sites/workspace";
import { answer, renderWithProviders } from "../test/render";
import { listing } from "../test/session";
import type { Cluster, Keyword } from "./api";

// These pages render a good deal at once; on a loaded machine the first render of a file
// takes seconds, so waits and tests get more room than the defaults.
configure({ asyncUtilTimeout: 5_000 });
vi.setConfig({ testTimeout: 30_000 });

export const SITE = {
  id: "3f1e7a52-0000-4000-8000-000000000001",
  account_id: "a1",
  name: "Garden blog",
  domain: null,
  is_active: true,
  created_at: "2026-01-01T00:00:00Z",
};
export const SECTOR = {
  id: "3f1e7a52-0000-4000-8000-000000000002",
  account_id: "a1",
  site_id: SITE.id,
  name: "Roses",
  is_active: true,
  created_at: "2026-01-01T00:00:00Z",
};

export function keyword(n: number, name: string, extra: Partial<Keyword> = {}): Keyword {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    site_id: SITE.id,
    sector_id: SECTOR.id,
    keyword: name,
    volume: 100 * n,
    difficulty: 10 + n,
    cpc: "1.50",
    intent: "commercial",
    status: "pending",
    cluster_id: null,
    source: "manual",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...extra,
  };
}

export function cluster(n: number, name: string): Cluster {
  return {
    id: `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    site_id: SITE.id,
    sector_id: SECTOR.id,
    name,
    description: "",
    keyword_count: 3,
    total_volume: 900,
    average_difficulty: 20,
    dominant_intent: "commercial",
    method: "local",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
  };
}

/** `value`, which the test expects to be there. */
export function found<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error("expected a value, found none");
  return value;
}

/** The workspace's own requests (sites, sectors), answered with SITE and SECTOR. */
export function workspaceRoute(path: string): Response | undefined {
  if (path === "/api/v1/auth/sites/") return answer(200, listing([SITE]));
  if (path === "/api/v1/auth/sectors/") return answer(200, listing([SECTOR]));
  return undefined;
}

/** `ui` inside the workspace, with SECTOR remembered as the chosen one for `role`'s user. */
export function renderInSector(ui: React.ReactElement, role: string) {
  window.localStorage.setItem(`igny8.site.u-${role}`, SITE.id);
  window.localStorage.setItem(`igny8.sector.u-${role}`, SECTOR.id);
  return renderWithProviders(<WorkspaceProvider>{ui}</WorkspaceProvider>);
}
