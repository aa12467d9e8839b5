/**
 * Operations: every 202 the API answers starts one (`operation_id`, followed at
 * `/api/v1/operations/{id}/`). `operationQuery(id)` keeps one fresh until it ends; the
 * operations tray and any page that started one read it from the same cache entry.
 */
import { queryOptions } from "@tanstack/react-query";

import { api, call } from "../api/client";
import type { Answer } from "../api/types";

export type Operation = Answer<"/api/v1/operations/{operation_id}/", "get">["data"];

/** While an operation runs it is asked about this often (the event stream, when connected,
 * updates the same cache entry sooner). */
export const OPERATION_POLL_MS = 1_000;

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
    refetchInterval: (query) => (query.state.data?.is_final ? false : OPERATION_POLL_MS),
  });
