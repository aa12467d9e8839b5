/**
 * Operations: every 202 the API answers starts one (`operation_id`, followed at
 * `/api/v1/operations/{id}/`). `operationQuery(id)` keeps one fresh until it ends; the
 * operations tray and any page that started one read it from the same cache entry, which the
 * event stream (stream.ts) updates as the operation moves.
 */
import { type QueryClient, queryOptions } from "@tanstack/react-query";

import { api, call } from "../api/client";
import type { Answer } from "../api/types";

export type Operation = Answer<"/api/v1/operations/{operation_id}/", "get">["data"];

/** While an operation runs and the event stream is down, it is asked about this often. */
export const OPERATION_POLL_MS = 1_000;
/** While the event stream is connected it brings every update: polling is only a safety net. */
export const OPERATION_POLL_STREAMING_MS = 15_000;

let streaming = false;

/** The event stream says whether it is connected (polling slows down while it is). */
export function setStreaming(connected: boolean): void {
  streaming = connected;
}

export const operationQuery = (operationId: string) =>
  queryOptions({
    queryKey: ["operations", operationId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/operations/{operation_id}/",
          "get",
          api.GET("/api/v1/operations/{operation_id}/", { params: { path: { operation_id: operationId } } }),
        )
      ).data,
    refetchInterval: (query) =>
      query.state.data?.is_final ? false : streaming ? OPERATION_POLL_STREAMING_MS : OPERATION_POLL_MS,
  });

const listOperations = async (query: { state?: Operation["state"]; page_size: number }) =>
  (await call("/api/v1/operations/", "get", api.GET("/api/v1/operations/", { params: { query } }))).results;

/** The tray's list: the operations still running (read on start and after a reconnect),
 * plus those the stream has seen finish since (kept until the tray is cleared). */
export const trayKey = ["operations", "tray"] as const;

export const trayQuery = (client: QueryClient) =>
  queryOptions({
    queryKey: trayKey,
    queryFn: async (): Promise<Operation[]> => {
      const [accepted, running] = await Promise.all([
        listOperations({ state: "accepted", page_size: 20 }),
        listOperations({ state: "running", page_size: 20 }),
      ]);
      const live = [...running, ...accepted];
      const ids = new Set(live.map((o) => o.id));
      const finished = (client.getQueryData<Operation[]>(trayKey) ?? []).filter((o) => o.is_final && !ids.has(o.id));
      for (const operation of live) client.setQueryData(operationQuery(operation.id).queryKey, operation);
      return [...live, ...finished].sort((a, b) => b.created_at.localeCompare(a.created_at));
    },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

/** The account's latest operations (Home). */
export const recentOperationsQuery = queryOptions({
  queryKey: ["operations", "recent"],
  queryFn: () => listOperations({ page_size: 10 }),
});
