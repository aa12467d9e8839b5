/**
 * The writer's server state: tasks, content (with versions and diffs), images, author
 * profiles, and the cost estimates of the paid operations (asked of the API, never priced here).
 */
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, call } from "../api/client";
import type { Answer, Paths, RequestBody } from "../api/types";
import { balanceQuery } from "../shell/CreditsBadge";

export type Task = Answer<"/api/v1/writer/tasks/", "get">["results"][number];
export type TaskStatus = Task["status"];
export type NewTask = RequestBody<"/api/v1/writer/tasks/", "post">;
export type Content = Answer<"/api/v1/writer/content/{content_id}/", "get">["data"];
export type ContentStatus = Content["status"];
export type ReviewStatus = RequestBody<"/api/v1/writer/content/{content_id}/status/", "post">["status"];
export type ContentEdit = RequestBody<"/api/v1/writer/content/{content_id}/", "patch">;
export type Version = Answer<"/api/v1/writer/content/{content_id}/versions/", "get">["data"]["versions"][number];
export type Image = Answer<"/api/v1/writer/images/", "get">["results"][number];
export type ImageRole = Image["role"];
export type Estimate = Answer<"/api/v1/writer/tasks/generate_content/estimate/", "post">["data"];
export type Accepted = Answer<"/api/v1/writer/tasks/generate_content/", "post">["data"];
export type GenerateContentBody = RequestBody<"/api/v1/writer/tasks/generate_content/", "post">;
export type GenerateImagesBody = RequestBody<"/api/v1/writer/tasks/generate_images/", "post">;

type TaskQuery = NonNullable<Paths["/api/v1/writer/tasks/"]["get"]["parameters"]["query"]>;
type ContentQuery = NonNullable<Paths["/api/v1/writer/content/"]["get"]["parameters"]["query"]>;
type ImageQuery = NonNullable<Paths["/api/v1/writer/images/"]["get"]["parameters"]["query"]>;

/** A page of a list (the API's page size tops out at 100). */
export const PAGE_SIZE = 50;

export const tasksQuery = (query: TaskQuery) =>
  queryOptions({
    queryKey: ["writer", "tasks", query],
    queryFn: async () =>
      call("/api/v1/writer/tasks/", "get", api.GET("/api/v1/writer/tasks/", { params: { query } })),
    placeholderData: keepPreviousData,
  });

export const contentListQuery = (query: ContentQuery) =>
  queryOptions({
    queryKey: ["writer", "content", "list", query],
    queryFn: async () =>
      call("/api/v1/writer/content/", "get", api.GET("/api/v1/writer/content/", { params: { query } })),
    placeholderData: keepPreviousData,
  });

export const contentQuery = (contentId: string) =>
  queryOptions({
    queryKey: ["writer", "content", "one", contentId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/writer/content/{content_id}/",
          "get",
          api.GET("/api/v1/writer/content/{content_id}/", { params: { path: { content_id: contentId } } }),
        )
      ).data,
  });

export const versionsQuery = (contentId: string) =>
  queryOptions({
    queryKey: ["writer", "content", "versions", contentId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/writer/content/{content_id}/versions/",
          "get",
          api.GET("/api/v1/writer/content/{content_id}/versions/", { params: { path: { content_id: contentId } } }),
        )
      ).data,
  });

export const imagesQuery = (query: ImageQuery) =>
  queryOptions({
    queryKey: ["writer", "images", query],
    queryFn: async () =>
      call("/api/v1/writer/images/", "get", api.GET("/api/v1/writer/images/", { params: { query } })),
    placeholderData: keepPreviousData,
  });

export const authorProfilesQuery = queryOptions({
  queryKey: ["system", "author-profiles", "active"],
  queryFn: async () =>
    (
      await call(
        "/api/v1/system/author-profiles/",
        "get",
        api.GET("/api/v1/system/author-profiles/", { params: { query: { is_active: true, page_size: 100 } } }),
      )
    ).results,
});

export const clustersQuery = (siteId: string, sectorId: string) =>
  queryOptions({
    queryKey: ["planner", "clusters", "choices", siteId, sectorId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/planner/clusters/",
          "get",
          api.GET("/api/v1/planner/clusters/", {
            params: { query: { site_id: siteId, sector_id: sectorId, ordering: "name", page_size: 100 } },
          }),
        )
      ).results,
  });

/** What a paid operation would cost (the API prices it: the credits it would hold). */
export type EstimateRequest =
  | { kind: "content"; body: GenerateContentBody }
  | { kind: "images"; body: GenerateImagesBody }
  | { kind: "regenerate"; imageId: string };

export const estimateQuery = (request: EstimateRequest) =>
  queryOptions({
    queryKey: ["writer", "estimate", request],
    queryFn: async (): Promise<Estimate> => {
      switch (request.kind) {
        case "content":
          return (
            await call(
              "/api/v1/writer/tasks/generate_content/estimate/",
              "post",
              api.POST("/api/v1/writer/tasks/generate_content/estimate/", { body: request.body }),
            )
          ).data;
        case "images":
          return (
            await call(
              "/api/v1/writer/tasks/generate_images/estimate/",
              "post",
              api.POST("/api/v1/writer/tasks/generate_images/estimate/", { body: request.body }),
            )
          ).data;
        case "regenerate":
          return (
            await call(
              "/api/v1/writer/images/{image_id}/regenerate/estimate/",
              "post",
              api.POST("/api/v1/writer/images/{image_id}/regenerate/estimate/", {
                params: { path: { image_id: request.imageId } },
              }),
            )
          ).data;
      }
    },
    staleTime: 0,
    gcTime: 0,
  });

/** A started operation, by kind, with what it needs. */
export type StartRequest =
  | { kind: "content"; body: GenerateContentBody }
  | { kind: "images"; body: GenerateImagesBody }
  | { kind: "regenerate"; imageId: string; prompt: string | null };

async function start(request: StartRequest): Promise<Accepted> {
  switch (request.kind) {
    case "content":
      return (
        await call(
          "/api/v1/writer/tasks/generate_content/",
          "post",
          api.POST("/api/v1/writer/tasks/generate_content/", { body: request.body }),
        )
      ).data;
    case "images":
      return (
        await call(
          "/api/v1/writer/tasks/generate_images/",
          "post",
          api.POST("/api/v1/writer/tasks/generate_images/", { body: request.body }),
        )
      ).data;
    case "regenerate":
      return (
        await call(
          "/api/v1/writer/images/{image_id}/regenerate/",
          "post",
          api.POST("/api/v1/writer/images/{image_id}/regenerate/", {
            params: { path: { image_id: request.imageId } },
            body: request.prompt ? { prompt: request.prompt } : {},
          }),
        )
      ).data;
  }
}

/** Start a paid operation; its errors (a 402 above all) are shown by the dialog. */
export function useStartOperation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: start,
    onSuccess: () => client.invalidateQueries({ queryKey: balanceQuery.queryKey }),
    meta: { handlesErrors: true },
  });
}

/** After an operation ends: every writer list and the credits are read again. */
export function useRefreshWriter() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ["writer"] }),
      client.invalidateQueries({ queryKey: balanceQuery.queryKey }),
    ]);
}

export function useTaskMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["writer", "tasks"] });
  return {
    create: useMutation({
      mutationFn: async (body: NewTask) =>
        (await call("/api/v1/writer/tasks/", "post", api.POST("/api/v1/writer/tasks/", { body }))).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    setStatus: useMutation({
      mutationFn: async ({ ids, status }: { ids: string[]; status: TaskStatus }) =>
        (
          await call(
            "/api/v1/writer/tasks/bulk_update/",
            "post",
            api.POST("/api/v1/writer/tasks/bulk_update/", { body: { ids, status } }),
          )
        ).data,
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: async (ids: string[]) =>
        (
          await call(
            "/api/v1/writer/tasks/bulk_delete/",
            "post",
            api.POST("/api/v1/writer/tasks/bulk_delete/", { body: { ids } }),
          )
        ).data,
      onSuccess: refresh,
    }),
  };
}

export function useContentMutations(contentId: string) {
  const client = useQueryClient();
  const path = { params: { path: { content_id: contentId } } };
  const settle = (content: Content) => {
    client.setQueryData(contentQuery(contentId).queryKey, content);
    return Promise.all([
      client.invalidateQueries({ queryKey: versionsQuery(contentId).queryKey }),
      client.invalidateQueries({ queryKey: ["writer", "content", "list"] }),
      client.invalidateQueries({ queryKey: ["writer", "tasks"] }),
    ]);
  };
  return {
    save: useMutation({
      mutationFn: async (body: ContentEdit) =>
        (
          await call(
            "/api/v1/writer/content/{content_id}/",
            "patch",
            api.PATCH("/api/v1/writer/content/{content_id}/", { ...path, body }),
          )
        ).data,
      onSuccess: settle,
      meta: { handlesErrors: true },
    }),
    restore: useMutation({
      mutationFn: async (version: number) =>
        (
          await call(
            "/api/v1/writer/content/{content_id}/restore/",
            "post",
            api.POST("/api/v1/writer/content/{content_id}/restore/", { ...path, body: { version } }),
          )
        ).data,
      onSuccess: settle,
    }),
    move: useMutation({
      mutationFn: async (status: ReviewStatus) =>
        status === "approved"
          ? (
              await call(
                "/api/v1/writer/content/{content_id}/approve/",
                "post",
                api.POST("/api/v1/writer/content/{content_id}/approve/", path),
              )
            ).data
          : (
              await call(
                "/api/v1/writer/content/{content_id}/status/",
                "post",
                api.POST("/api/v1/writer/content/{content_id}/status/", { ...path, body: { status } }),
              )
            ).data,
      onSuccess: settle,
    }),
  };
}

export function useDeleteContent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (ids: string[]) =>
      (
        await call(
          "/api/v1/writer/content/bulk_delete/",
          "post",
          api.POST("/api/v1/writer/content/bulk_delete/", { body: { ids } }),
        )
      ).data,
    onSuccess: () => client.invalidateQueries({ queryKey: ["writer"] }),
  });
}
