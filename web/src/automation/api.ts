/**
 * A site's automation: its settings (`/api/v1/automation/config/{site_id}/`) and its runs
 * (`/api/v1/automation/runs/`). While a run is going its list is asked about every second.
 */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, call } from "../api/client";
import type { Answer, RequestBody } from "../api/types";

export type AutomationConfig = Answer<"/api/v1/automation/config/{site_id}/", "get">["data"];
export type AutomationSettings = RequestBody<"/api/v1/automation/config/{site_id}/", "put">;
export type AutomationRun = Answer<"/api/v1/automation/runs/{run_id}/", "get">["data"];
export type StageResult = AutomationRun["stages"][number];
export type RunAction = "pause" | "resume" | "cancel";

export const ACTIVE_STATUSES: ReadonlySet<AutomationRun["status"]> = new Set(["pending", "running", "paused"]);
export const RUN_POLL_MS = 1_000;
const HISTORY = 20;

export const configQuery = (siteId: string) =>
  queryOptions({
    queryKey: ["automation", "config", siteId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/automation/config/{site_id}/",
          "get",
          api.GET("/api/v1/automation/config/{site_id}/", { params: { path: { site_id: siteId } } }),
        )
      ).data,
  });

export const runsQuery = (siteId: string) =>
  queryOptions({
    queryKey: ["automation", "runs", siteId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/automation/runs/",
          "get",
          api.GET("/api/v1/automation/runs/", { params: { query: { site_id: siteId, page_size: HISTORY } } }),
        )
      ).results,
    refetchInterval: (query) => (query.state.data?.some((run) => ACTIVE_STATUSES.has(run.status)) ? RUN_POLL_MS : false),
  });

export function useAutomationMutations(siteId: string) {
  const client = useQueryClient();
  const refreshRuns = () => client.invalidateQueries({ queryKey: ["automation", "runs", siteId] });
  return {
    save: useMutation({
      mutationFn: async (body: AutomationSettings) =>
        (
          await call(
            "/api/v1/automation/config/{site_id}/",
            "put",
            api.PUT("/api/v1/automation/config/{site_id}/", { params: { path: { site_id: siteId } }, body }),
          )
        ).data,
      onSuccess: (saved) => client.setQueryData(configQuery(siteId).queryKey, saved),
      meta: { handlesErrors: true },
    }),
    start: useMutation({
      mutationFn: async () =>
        (await call("/api/v1/automation/runs/", "post", api.POST("/api/v1/automation/runs/", { body: { site_id: siteId } })))
          .data,
      onSuccess: refreshRuns,
    }),
    change: useMutation({
      mutationFn: async ({ runId, action }: { runId: string; action: RunAction }) => {
        const params = { params: { path: { run_id: runId } } };
        if (action === "pause")
          return (
            await call(
              "/api/v1/automation/runs/{run_id}/pause/",
              "post",
              api.POST("/api/v1/automation/runs/{run_id}/pause/", params),
            )
          ).data;
        if (action === "resume")
          return (
            await call(
              "/api/v1/automation/runs/{run_id}/resume/",
              "post",
              api.POST("/api/v1/automation/runs/{run_id}/resume/", params),
            )
          ).data;
        return (
          await call(
            "/api/v1/automation/runs/{run_id}/cancel/",
            "post",
            api.POST("/api/v1/automation/runs/{run_id}/cancel/", params),
          )
        ).data;
      },
      onSuccess: refreshRuns,
    }),
  };
}
