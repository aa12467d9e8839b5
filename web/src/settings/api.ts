import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, call } from "../api/client";
import type { Answer, RequestBody, Schemas } from "../api/types";

export type User = Answer<"/api/v1/auth/users/", "get">["results"][number];
export type NewUser = RequestBody<"/api/v1/auth/users/", "post">;
export type UserChanges = RequestBody<"/api/v1/auth/users/{user_id}/", "patch">;
export type Grant = Answer<"/api/v1/auth/site-access/", "get">["results"][number];
export type AiSettings = Answer<"/api/v1/system/settings/ai/", "get">["data"];
export type AiSettingsBody = RequestBody<"/api/v1/system/settings/ai/", "put">;
export type AiConnectionReport = Answer<"/api/v1/system/settings/ai/test/", "post">["data"];
export type Prompt = Answer<"/api/v1/system/prompts/", "get">["results"][number];
export type AuthorProfile = Answer<"/api/v1/system/author-profiles/", "get">["results"][number];
export type NewAuthorProfile = RequestBody<"/api/v1/system/author-profiles/", "post">;
export type AuthorProfileChanges = RequestBody<"/api/v1/system/author-profiles/{profile_id}/", "patch">;
export type Role = Schemas["Role"];

/** The API's largest page: an account's users, grants and author profiles fit in one. */
const ALL = 100;

// ------------------------------------------------------------------------------------ users

export const usersQuery = queryOptions({
  queryKey: ["users"],
  queryFn: async () =>
    (await call("/api/v1/auth/users/", "get", api.GET("/api/v1/auth/users/", { params: { query: { page_size: ALL } } })))
      .results,
});

export function useUserMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["users"] });
  return {
    create: useMutation({
      mutationFn: async (body: NewUser) =>
        (await call("/api/v1/auth/users/", "post", api.POST("/api/v1/auth/users/", { body }))).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    update: useMutation({
      mutationFn: async ({ id, changes }: { id: string; changes: UserChanges }) =>
        (
          await call(
            "/api/v1/auth/users/{user_id}/",
            "patch",
            api.PATCH("/api/v1/auth/users/{user_id}/", { params: { path: { user_id: id } }, body: changes }),
          )
        ).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    deactivate: useMutation({
      mutationFn: async (id: string) =>
        (
          await call(
            "/api/v1/auth/users/{user_id}/",
            "delete",
            api.DELETE("/api/v1/auth/users/{user_id}/", { params: { path: { user_id: id } } }),
          )
        ).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
  };
}

// ------------------------------------------------------------------------------ site access

export const grantsQuery = queryOptions({
  queryKey: ["site-access"],
  queryFn: async () =>
    (
      await call(
        "/api/v1/auth/site-access/",
        "get",
        api.GET("/api/v1/auth/site-access/", { params: { query: { page_size: ALL } } }),
      )
    ).results,
});

export function useGrantMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["site-access"] });
  return {
    grant: useMutation({
      mutationFn: async (body: RequestBody<"/api/v1/auth/site-access/", "post">) =>
        (await call("/api/v1/auth/site-access/", "post", api.POST("/api/v1/auth/site-access/", { body }))).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    revoke: useMutation({
      mutationFn: async (id: string) =>
        call(
          "/api/v1/auth/site-access/{grant_id}/",
          "delete",
          api.DELETE("/api/v1/auth/site-access/{grant_id}/", { params: { path: { grant_id: id } } }),
        ),
      onSuccess: refresh,
    }),
  };
}

// ------------------------------------------------------------------------------ AI provider

export const aiSettingsQuery = queryOptions({
  queryKey: ["ai-settings"],
  queryFn: async () =>
    (await call("/api/v1/system/settings/ai/", "get", api.GET("/api/v1/system/settings/ai/"))).data,
});

export function useAiSettingsMutations() {
  const client = useQueryClient();
  const keep = (saved: AiSettings) => client.setQueryData(aiSettingsQuery.queryKey, saved);
  return {
    save: useMutation({
      mutationFn: async (body: AiSettingsBody) =>
        (await call("/api/v1/system/settings/ai/", "put", api.PUT("/api/v1/system/settings/ai/", { body }))).data,
      onSuccess: keep,
      meta: { handlesErrors: true },
    }),
    test: useMutation({
      mutationFn: async (body: AiSettingsBody | null) =>
        (
          await call(
            "/api/v1/system/settings/ai/test/",
            "post",
            api.POST("/api/v1/system/settings/ai/test/", { body }),
          )
        ).data,
      meta: { handlesErrors: true },
    }),
    remove: useMutation({
      mutationFn: async () =>
        (await call("/api/v1/system/settings/ai/", "delete", api.DELETE("/api/v1/system/settings/ai/"))).data,
      onSuccess: keep,
      meta: { handlesErrors: true },
    }),
  };
}

// ---------------------------------------------------------------------------------- prompts

export const promptsQuery = queryOptions({
  queryKey: ["prompts"],
  queryFn: async () => (await call("/api/v1/system/prompts/", "get", api.GET("/api/v1/system/prompts/"))).results,
});

export function usePromptMutations() {
  const client = useQueryClient();
  const keep = (saved: Prompt) =>
    client.setQueryData(promptsQuery.queryKey, (list) =>
      list?.map((prompt) => (prompt.prompt_type === saved.prompt_type ? saved : prompt)),
    );
  return {
    override: useMutation({
      mutationFn: async ({ type, template }: { type: string; template: string }) =>
        (
          await call(
            "/api/v1/system/prompts/{prompt_type}/",
            "put",
            api.PUT("/api/v1/system/prompts/{prompt_type}/", { params: { path: { prompt_type: type } }, body: { template } }),
          )
        ).data,
      onSuccess: keep,
      meta: { handlesErrors: true },
    }),
    reset: useMutation({
      mutationFn: async (type: string) =>
        (
          await call(
            "/api/v1/system/prompts/{prompt_type}/reset/",
            "post",
            api.POST("/api/v1/system/prompts/{prompt_type}/reset/", { params: { path: { prompt_type: type } } }),
          )
        ).data,
      onSuccess: keep,
      meta: { handlesErrors: true },
    }),
  };
}

// -------------------------------------------------------------------------- author profiles

export const authorProfilesQuery = queryOptions({
  queryKey: ["author-profiles"],
  queryFn: async () =>
    (
      await call(
        "/api/v1/system/author-profiles/",
        "get",
        api.GET("/api/v1/system/author-profiles/", { params: { query: { page_size: ALL } } }),
      )
    ).results,
});

export function useAuthorProfileMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["author-profiles"] });
  return {
    create: useMutation({
      mutationFn: async (body: NewAuthorProfile) =>
        (await call("/api/v1/system/author-profiles/", "post", api.POST("/api/v1/system/author-profiles/", { body }))).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    update: useMutation({
      mutationFn: async ({ id, changes }: { id: string; changes: AuthorProfileChanges }) =>
        (
          await call(
            "/api/v1/system/author-profiles/{profile_id}/",
            "patch",
            api.PATCH("/api/v1/system/author-profiles/{profile_id}/", {
              params: { path: { profile_id: id } },
              body: changes,
            }),
          )
        ).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    remove: useMutation({
      mutationFn: async (id: string) =>
        call(
          "/api/v1/system/author-profiles/{profile_id}/",
          "delete",
          api.DELETE("/api/v1/system/author-profiles/{profile_id}/", { params: { path: { profile_id: id } } }),
        ),
      onSuccess: refresh,
    }),
  };
}
