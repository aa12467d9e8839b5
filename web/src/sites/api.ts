import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, call } from "../api/client";
import type { Answer, RequestBody } from "../api/types";

export type Site = Answer<"/api/v1/auth/sites/", "get">["results"][number];
export type Sector = Answer<"/api/v1/auth/sectors/", "get">["results"][number];
export type NewSite = RequestBody<"/api/v1/auth/sites/", "post">;
export type SiteChanges = RequestBody<"/api/v1/auth/sites/{site_id}/", "patch">;
export type NewSector = RequestBody<"/api/v1/auth/sectors/", "post">;
export type SectorChanges = RequestBody<"/api/v1/auth/sectors/{sector_id}/", "patch">;

/** Plans allow a handful of sites and five active sectors a site: one page holds them. */
const ALL = 100;

export const sitesQuery = queryOptions({
  queryKey: ["sites"],
  queryFn: async () =>
    (
      await call(
        "/api/v1/auth/sites/",
        "get",
        api.GET("/api/v1/auth/sites/", { params: { query: { page_size: ALL } } }),
      )
    ).results,
});

export const sectorsQuery = (siteId: string) =>
  queryOptions({
    queryKey: ["sectors", siteId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/auth/sectors/",
          "get",
          api.GET("/api/v1/auth/sectors/", { params: { query: { site_id: siteId, page_size: ALL } } }),
        )
      ).results,
  });

export function useSiteMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["sites"] });
  return {
    create: useMutation({
      mutationFn: async (body: NewSite) =>
        (await call("/api/v1/auth/sites/", "post", api.POST("/api/v1/auth/sites/", { body }))).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    update: useMutation({
      mutationFn: async ({ id, changes }: { id: string; changes: SiteChanges }) =>
        (
          await call(
            "/api/v1/auth/sites/{site_id}/",
            "patch",
            api.PATCH("/api/v1/auth/sites/{site_id}/", { params: { path: { site_id: id } }, body: changes }),
          )
        ).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    remove: useMutation({
      mutationFn: async (id: string) =>
        call(
          "/api/v1/auth/sites/{site_id}/",
          "delete",
          api.DELETE("/api/v1/auth/sites/{site_id}/", { params: { path: { site_id: id } } }),
        ),
      onSuccess: async (_answer, id) => {
        client.removeQueries({ queryKey: ["sectors", id] });
        await refresh();
      },
    }),
  };
}

export function useSectorMutations(siteId: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["sectors", siteId] });
  return {
    create: useMutation({
      mutationFn: async (body: NewSector) =>
        (await call("/api/v1/auth/sectors/", "post", api.POST("/api/v1/auth/sectors/", { body }))).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    update: useMutation({
      mutationFn: async ({ id, changes }: { id: string; changes: SectorChanges }) =>
        (
          await call(
            "/api/v1/auth/sectors/{sector_id}/",
            "patch",
            api.PATCH("/api/v1/auth/sectors/{sector_id}/", { params: { path: { sector_id: id } }, body: changes }),
          )
        ).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    remove: useMutation({
      mutationFn: async (id: string) =>
        call(
          "/api/v1/auth/sectors/{sector_id}/",
          "delete",
          api.DELETE("/api/v1/auth/sectors/{sector_id}/", { params: { path: { sector_id: id } } }),
        ),
      onSuccess: refresh,
    }),
  };
}
