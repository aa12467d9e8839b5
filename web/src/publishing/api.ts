/** Publishing: a site's WordPress integration (connection test, structure, default author,
 * the bridge plugin's key and zip), publishing, and the publishing records. */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, call } from "../api/client";
import { apiErrorOf, networkError } from "../api/errors";
import type { Answer, RequestBody } from "../api/types";

const INTEGRATIONS = "/api/v1/integration/integrations/";
const ONE = "/api/v1/integration/integrations/{integration_id}/";

export type Integration = Answer<typeof INTEGRATIONS, "get">["results"][number];
export type ConnectionTest = Answer<"/api/v1/integration/integrations/test-connection/", "post">["data"];
export type ConnectionKey = Answer<"/api/v1/integration/integrations/{integration_id}/connection-key/", "post">["data"];
export type NewIntegration = RequestBody<typeof INTEGRATIONS, "post">;
export type IntegrationChanges = RequestBody<typeof ONE, "patch">;
export type PublishRequest = RequestBody<"/api/v1/publisher/publish/", "post">;
export type PublishingRecord = Answer<"/api/v1/publisher/records/", "get">["results"][number];
export type Content = Answer<"/api/v1/writer/content/", "get">["results"][number];

const path = (integrationId: string) => ({ params: { path: { integration_id: integrationId } } });

/** The site's integration (one per site), or null. */
export const integrationQuery = (siteId: string) =>
  queryOptions({
    queryKey: ["publishing", "integration", siteId],
    queryFn: async () =>
      (await call(INTEGRATIONS, "get", api.GET(INTEGRATIONS, { params: { query: { site_id: siteId, page_size: 1 } } })))
        .results[0] ?? null,
  });

export const connectionKeyQuery = (integrationId: string) =>
  queryOptions({
    queryKey: ["publishing", "connection-key", integrationId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/integration/integrations/{integration_id}/connection-key/",
          "get",
          api.GET("/api/v1/integration/integrations/{integration_id}/connection-key/", path(integrationId)),
        )
      ).data,
  });

export const defaultAuthorQuery = (integrationId: string) =>
  queryOptions({
    queryKey: ["publishing", "default-author", integrationId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/integration/integrations/{integration_id}/default-author/",
          "get",
          api.GET("/api/v1/integration/integrations/{integration_id}/default-author/", path(integrationId)),
        )
      ).data,
  });

export const RECORDS_PAGE = 20;

export const recordsQuery = (integrationId: string, page: number) =>
  queryOptions({
    queryKey: ["publishing", "records", integrationId, page],
    queryFn: async () =>
      await call(
        "/api/v1/publisher/records/",
        "get",
        api.GET("/api/v1/publisher/records/", {
          params: { query: { integration_id: integrationId, page, page_size: RECORDS_PAGE } },
        }),
      ),
  });

/** The site's approved articles (what can be published), and its articles by id (titles of
 * the records). */
export const siteContentQuery = (siteId: string, status?: Content["status"]) =>
  queryOptions({
    queryKey: ["publishing", "content", siteId, status ?? "all"],
    queryFn: async () =>
      (
        await call(
          "/api/v1/writer/content/",
          "get",
          api.GET("/api/v1/writer/content/", {
            params: { query: { site_id: siteId, page_size: 100, ordering: "-updated_at", ...(status ? { status } : {}) } },
          }),
        )
      ).results,
  });

/** The bridge plugin's zip (needs the Authorization header, so fetched, then saved). */
export async function downloadPlugin(): Promise<void> {
  let answer: { response: Response; data?: Blob; error?: unknown };
  try {
    answer = await api.GET("/api/v1/integration/plugin/", { parseAs: "blob" });
  } catch (cause) {
    throw networkError(cause);
  }
  if (!answer.response.ok || !answer.data) throw apiErrorOf(answer.response, answer.error);
  const disposition = answer.response.headers.get("content-disposition") ?? "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? "igny8-bridge.zip";
  const href = URL.createObjectURL(answer.data);
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export function useIntegrationMutations(siteId: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["publishing", "integration", siteId] });
  return {
    create: useMutation({
      mutationFn: async (body: NewIntegration) => (await call(INTEGRATIONS, "post", api.POST(INTEGRATIONS, { body }))).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    update: useMutation({
      mutationFn: async ({ id, changes }: { id: string; changes: IntegrationChanges }) =>
        (await call(ONE, "patch", api.PATCH(ONE, { ...path(id), body: changes }))).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    remove: useMutation({
      mutationFn: async (id: string) => call(ONE, "delete", api.DELETE(ONE, path(id))),
      onSuccess: refresh,
    }),
    /** Unsaved credentials (before connecting) or the saved integration. */
    test: useMutation({
      mutationFn: async (target: { id: string } | { url: string; username: string; app_password: string }) =>
        "id" in target
          ? (
              await call(
                "/api/v1/integration/integrations/{integration_id}/test-connection/",
                "post",
                api.POST("/api/v1/integration/integrations/{integration_id}/test-connection/", path(target.id)),
              )
            ).data
          : (
              await call(
                "/api/v1/integration/integrations/test-connection/",
                "post",
                api.POST("/api/v1/integration/integrations/test-connection/", { body: { ...target, site_id: siteId } }),
              )
            ).data,
      onSuccess: (_data, target) => {
        if ("id" in target) void refresh();
      },
      meta: { handlesErrors: true },
    }),
    syncStructure: useMutation({
      mutationFn: async (id: string) =>
        (
          await call(
            "/api/v1/integration/integrations/{integration_id}/update-structure/",
            "post",
            api.POST("/api/v1/integration/integrations/{integration_id}/update-structure/", path(id)),
          )
        ).data,
      onSuccess: refresh,
    }),
    setDefaultAuthor: useMutation({
      mutationFn: async ({ id, authorId }: { id: string; authorId: number | null }) =>
        (
          await call(
            "/api/v1/integration/integrations/{integration_id}/default-author/",
            "put",
            api.PUT("/api/v1/integration/integrations/{integration_id}/default-author/", {
              ...path(id),
              body: { author_id: authorId },
            }),
          )
        ).data,
      onSuccess: (data) => client.setQueryData(defaultAuthorQuery(data.integration_id).queryKey, data),
    }),
    issueKey: useMutation({
      mutationFn: async (id: string) =>
        (
          await call(
            "/api/v1/integration/integrations/{integration_id}/connection-key/",
            "post",
            api.POST("/api/v1/integration/integrations/{integration_id}/connection-key/", path(id)),
          )
        ).data,
      onSuccess: (data) => client.invalidateQueries({ queryKey: connectionKeyQuery(data.integration_id).queryKey }),
    }),
    revokeKey: useMutation({
      mutationFn: async (id: string) =>
        (
          await call(
            "/api/v1/integration/integrations/{integration_id}/connection-key/",
            "delete",
            api.DELETE("/api/v1/integration/integrations/{integration_id}/connection-key/", path(id)),
          )
        ).data,
      onSuccess: (data) => client.setQueryData(connectionKeyQuery(data.integration_id).queryKey, data),
    }),
  };
}

export function usePublish() {
  return useMutation({
    mutationFn: async (body: PublishRequest) =>
      (await call("/api/v1/publisher/publish/", "post", api.POST("/api/v1/publisher/publish/", { body }))).data,
    meta: { handlesErrors: true },
  });
}
