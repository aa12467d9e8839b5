/** Home: the chosen site's counts through the pipeline (each the `count` of a one-row page of
 * its owner's listing), and credits used per day. */
import { queryOptions } from "@tanstack/react-query";

import { api, call } from "../api/client";

export type Stage = "keywords" | "clusters" | "ideas" | "tasks" | "drafts" | "review" | "approved" | "published";
export const STAGES: readonly Stage[] = ["keywords", "clusters", "ideas", "tasks", "drafts", "review", "approved", "published"];

const ONE = 1;

async function countOf(stage: Stage, siteId: string): Promise<number> {
  const site = { site_id: siteId };
  switch (stage) {
    case "keywords":
      return (await call("/api/v1/planner/keywords/", "get", api.GET("/api/v1/planner/keywords/", { params: { query: { ...site, page_size: ONE } } }))).count;
    case "clusters":
      return (await call("/api/v1/planner/clusters/", "get", api.GET("/api/v1/planner/clusters/", { params: { query: { ...site, page_size: ONE } } }))).count;
    case "ideas":
      return (await call("/api/v1/planner/ideas/", "get", api.GET("/api/v1/planner/ideas/", { params: { query: { ...site, page_size: ONE } } }))).count;
    case "tasks":
      return (await call("/api/v1/writer/tasks/", "get", api.GET("/api/v1/writer/tasks/", { params: { query: { ...site, page_size: ONE } } }))).count;
    default: {
      const status = stage === "drafts" ? "draft" : stage;
      return (
        await call("/api/v1/writer/content/", "get", api.GET("/api/v1/writer/content/", { params: { query: { ...site, status, page_size: ONE } } }))
      ).count;
    }
  }
}

/** One stage's count (each its own query: a stage whose owner is down leaves the others). */
export const stageCountQuery = (stage: Stage, siteId: string) =>
  queryOptions({
    queryKey: ["home", "pipeline", siteId, stage],
    queryFn: () => countOf(stage, siteId),
  });

export const USAGE_DAYS = 30;

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** Credits used per day over the last `USAGE_DAYS` days (every day, zero when nothing). */
export const creditsPerDayQuery = queryOptions({
  queryKey: ["home", "credits-per-day"],
  queryFn: async (): Promise<{ day: string; credits: number }[]> => {
    const today = new Date();
    const since = new Date(today.getTime() - (USAGE_DAYS - 1) * 86_400_000);
    const report = (
      await call("/api/v1/billing/usage/", "get", api.GET("/api/v1/billing/usage/", { params: { query: { since: dayOf(since), until: dayOf(today) } } }))
    ).data;
    const perDay = new Map<string, number>();
    for (const row of report.by_day) perDay.set(row.day, (perDay.get(row.day) ?? 0) + row.credits);
    return Array.from({ length: USAGE_DAYS }, (_, i) => {
      const day = dayOf(new Date(since.getTime() + i * 86_400_000));
      return { day, credits: perDay.get(day) ?? 0 };
    });
  },
});
