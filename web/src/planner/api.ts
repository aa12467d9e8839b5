/**
 * The planner's server state: keywords (keyset pages, loaded as the table scrolls), clusters,
 * ideas, and their mutations. Edits patch the cached pages in place (a table of 100,000 rows
 * is never refetched whole); what changes the list's shape (add, import, clustering) resets it.
 */
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from "@tanstack/react-query";

import { api, call } from "../api/client";
import type { Answer, Paths, RequestBody } from "../api/types";

type KeywordListing = Answer<"/api/v1/planner/keywords/", "get">;
export type Keyword = KeywordListing["results"][number];
export type KeywordQuery = NonNullable<Paths["/api/v1/planner/keywords/"]["get"]["parameters"]["query"]>;
export type KeywordStatus = Keyword["status"];
export type KeywordIntent = NonNullable<Keyword["intent"]>;
export type KeywordOrdering = NonNullable<KeywordQuery["ordering"]>;
export type KeywordEdit = RequestBody<"/api/v1/planner/keywords/{keyword_id}/", "patch">;
export type NewKeyword = RequestBody<"/api/v1/planner/keywords/", "post">;
export type Cluster = Answer<"/api/v1/planner/clusters/", "get">["results"][number];
export type ClusterOrdering = NonNullable<
  NonNullable<Paths["/api/v1/planner/clusters/"]["get"]["parameters"]["query"]>["ordering"]
>;
export type Idea = Answer<"/api/v1/planner/ideas/", "get">["results"][number];
export type IdeaEdit = RequestBody<"/api/v1/planner/ideas/{idea_id}/", "patch">;
export type IdeaQuery = NonNullable<Paths["/api/v1/planner/ideas/"]["get"]["parameters"]["query"]>;
export type ClusteringMethod = NonNullable<RequestBody<"/api/v1/planner/keywords/auto_cluster/", "post">["method"]>;
export type GenerateIdeas = RequestBody<"/api/v1/planner/clusters/generate_ideas/", "post">;

export const KEYWORD_STATUSES: readonly KeywordStatus[] = ["pending", "clustered", "used", "archived"];
export const KEYWORD_INTENTS: readonly KeywordIntent[] = ["informational", "navigational", "commercial", "transactional"];
export const CLUSTERING_METHODS: readonly ClusteringMethod[] = ["local", "semantic", "llm"];
export type Granularity = RequestBody<"/api/v1/planner/keywords/auto_cluster/", "post">["granularity"];
export const GRANULARITIES: readonly Granularity[] = ["fine", "medium", "coarse"];

/** Rows asked for per keyset page (the API allows up to 500). */
export const KEYWORD_PAGE = 200;
/** The API's bulk limit (MAX_BULK): larger selections go in several requests. */
export const BULK = 1000;
/** Clusters and ideas are listed a page at a time (the API allows up to 100). */
export const LIST_PAGE = 100;

function cursorOf(next: string | null): string | null {
  if (!next) return null;
  return new URL(next, window.location.origin).searchParams.get("cursor");
}

export const keywordsQuery = (filters: KeywordQuery) =>
  infiniteQueryOptions({
    queryKey: ["planner", "keywords", filters],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      call(
        "/api/v1/planner/keywords/",
        "get",
        api.GET("/api/v1/planner/keywords/", {
          params: { query: { ...filters, page_size: KEYWORD_PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => cursorOf(last.next),
    // Scrolled-through pages stay: a refetch of every loaded page is what a huge list avoids.
    staleTime: Infinity,
  });

export const clusterKeywordsQuery = (clusterId: string) =>
  queryOptions({
    queryKey: ["planner", "cluster-keywords", clusterId],
    queryFn: async () =>
      (
        await call(
          "/api/v1/planner/keywords/",
          "get",
          api.GET("/api/v1/planner/keywords/", {
            params: { query: { cluster_id: clusterId, page_size: 500, ordering: "-volume" } },
          }),
        )
      ).results,
  });

export const clustersQuery = (sectorId: string, page = 1, ordering: ClusterOrdering = "name") =>
  queryOptions({
    queryKey: ["planner", "clusters", sectorId, page, ordering],
    queryFn: async () =>
      call(
        "/api/v1/planner/clusters/",
        "get",
        api.GET("/api/v1/planner/clusters/", {
          params: { query: { sector_id: sectorId, page, page_size: LIST_PAGE, ordering } },
        }),
      ),
  });

export const ideasQuery = (filters: IdeaQuery) =>
  queryOptions({
    queryKey: ["planner", "ideas", filters],
    queryFn: async () =>
      call("/api/v1/planner/ideas/", "get", api.GET("/api/v1/planner/ideas/", { params: { query: filters } })),
  });

export const ideasEstimateQuery = (body: GenerateIdeas) =>
  queryOptions({
    queryKey: ["planner", "ideas-estimate", body],
    queryFn: async () =>
      (
        await call(
          "/api/v1/planner/clusters/generate_ideas/estimate/",
          "post",
          api.POST("/api/v1/planner/clusters/generate_ideas/estimate/", { body }),
        )
      ).data,
    staleTime: 0,
  });

type KeywordPages = InfiniteData<KeywordListing, string | null>;

/** Every cached keyword page, changed by `change` (a row → the row, or null to drop it). */
function patchKeywords(client: QueryClient, change: (row: Keyword) => Keyword | null): void {
  client.setQueriesData<KeywordPages>({ queryKey: ["planner", "keywords"] }, (data) => {
    if (!data) return data;
    let dropped = 0;
    const pages = data.pages.map((page) => {
      const results = page.results.flatMap((row) => {
        const next = change(row);
        if (next === null) dropped += 1;
        return next === null ? [] : [next];
      });
      return { ...page, results };
    });
    return { ...data, pages: pages.map((page) => ({ ...page, count: Math.max(0, page.count - dropped) })) };
  });
}

function chunks<T>(items: readonly T[], size = BULK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Everything the planner shows about keywords and clusters is asked again. */
export function resetPlanner(client: QueryClient): Promise<void> {
  return client.resetQueries({ queryKey: ["planner"] });
}

export function useKeywordMutations() {
  const client = useQueryClient();
  return {
    create: useMutation({
      mutationFn: async (body: NewKeyword) =>
        (await call("/api/v1/planner/keywords/", "post", api.POST("/api/v1/planner/keywords/", { body }))).data,
      onSuccess: () => client.resetQueries({ queryKey: ["planner", "keywords"] }),
      meta: { handlesErrors: true },
    }),
    update: useMutation({
      mutationFn: async ({ id, changes }: { id: string; changes: KeywordEdit }) =>
        (
          await call(
            "/api/v1/planner/keywords/{keyword_id}/",
            "patch",
            api.PATCH("/api/v1/planner/keywords/{keyword_id}/", { params: { path: { keyword_id: id } }, body: changes }),
          )
        ).data,
      onSuccess: (saved) => patchKeywords(client, (row) => (row.id === saved.id ? saved : row)),
      meta: { handlesErrors: true },
    }),
    setStatus: useMutation({
      mutationFn: async ({ ids, status }: { ids: string[]; status: KeywordStatus }) => {
        let updated = 0;
        for (const part of chunks(ids)) {
          const answer = await call(
            "/api/v1/planner/keywords/bulk_update_status/",
            "post",
            api.POST("/api/v1/planner/keywords/bulk_update_status/", { body: { ids: part, status } }),
          );
          updated += answer.data.updated_count;
        }
        return updated;
      },
      onSuccess: (_n, { ids, status }) => {
        const chosen = new Set(ids);
        patchKeywords(client, (row) => (chosen.has(row.id) ? { ...row, status } : row));
      },
    }),
    remove: useMutation({
      mutationFn: async (ids: string[]) => {
        let deleted = 0;
        for (const part of chunks(ids)) {
          const answer = await call(
            "/api/v1/planner/keywords/bulk_delete/",
            "post",
            api.POST("/api/v1/planner/keywords/bulk_delete/", { body: { ids: part } }),
          );
          deleted += answer.data.deleted_count;
        }
        return deleted;
      },
      onSuccess: (_n, ids) => {
        const gone = new Set(ids);
        patchKeywords(client, (row) => (gone.has(row.id) ? null : row));
        void client.invalidateQueries({ queryKey: ["planner", "clusters"] });
      },
    }),
  };
}

export function useClusterMutations() {
  const client = useQueryClient();
  const refresh = () => resetPlanner(client);
  return {
    rename: useMutation({
      mutationFn: async ({ id, name, description }: { id: string; name: string; description: string }) =>
        (
          await call(
            "/api/v1/planner/clusters/{cluster_id}/",
            "patch",
            api.PATCH("/api/v1/planner/clusters/{cluster_id}/", {
              params: { path: { cluster_id: id } },
              body: { name, description },
            }),
          )
        ).data,
      onSuccess: () => client.invalidateQueries({ queryKey: ["planner", "clusters"] }),
      meta: { handlesErrors: true },
    }),
    remove: useMutation({
      mutationFn: async (id: string) =>
        call(
          "/api/v1/planner/clusters/{cluster_id}/",
          "delete",
          api.DELETE("/api/v1/planner/clusters/{cluster_id}/", { params: { path: { cluster_id: id } } }),
        ),
      onSuccess: refresh,
    }),
    merge: useMutation({
      mutationFn: async ({ target, sources }: { target: string; sources: string[] }) =>
        (
          await call(
            "/api/v1/planner/clusters/{cluster_id}/merge/",
            "post",
            api.POST("/api/v1/planner/clusters/{cluster_id}/merge/", {
              params: { path: { cluster_id: target } },
              body: { cluster_ids: sources },
            }),
          )
        ).data,
      onSuccess: refresh,
    }),
    split: useMutation({
      mutationFn: async ({ id, keywordIds, name }: { id: string; keywordIds: string[]; name: string }) =>
        (
          await call(
            "/api/v1/planner/clusters/{cluster_id}/split/",
            "post",
            api.POST("/api/v1/planner/clusters/{cluster_id}/split/", {
              params: { path: { cluster_id: id } },
              body: { keyword_ids: keywordIds, ...(name ? { name } : {}) },
            }),
          )
        ).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    move: useMutation({
      mutationFn: async ({ keywordIds, clusterId }: { keywordIds: string[]; clusterId: string | null }) =>
        (
          await call(
            "/api/v1/planner/clusters/move_keywords/",
            "post",
            api.POST("/api/v1/planner/clusters/move_keywords/", {
              body: { keyword_ids: keywordIds, cluster_id: clusterId },
            }),
          )
        ).data,
      onSuccess: refresh,
    }),
    autoCluster: useMutation({
      mutationFn: async (body: RequestBody<"/api/v1/planner/keywords/auto_cluster/", "post">) =>
        (
          await call(
            "/api/v1/planner/keywords/auto_cluster/",
            "post",
            api.POST("/api/v1/planner/keywords/auto_cluster/", { body }),
          )
        ).data,
      meta: { handlesErrors: true },
    }),
  };
}

export function useIdeaMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["planner", "ideas"] });
  return {
    update: useMutation({
      mutationFn: async ({ id, changes }: { id: string; changes: IdeaEdit }) =>
        (
          await call(
            "/api/v1/planner/ideas/{idea_id}/",
            "patch",
            api.PATCH("/api/v1/planner/ideas/{idea_id}/", { params: { path: { idea_id: id } }, body: changes }),
          )
        ).data,
      onSuccess: refresh,
      meta: { handlesErrors: true },
    }),
    remove: useMutation({
      mutationFn: async (ids: string[]) =>
        (
          await call(
            "/api/v1/planner/ideas/bulk_delete/",
            "post",
            api.POST("/api/v1/planner/ideas/bulk_delete/", { body: { ids } }),
          )
        ).data.deleted_count,
      onSuccess: refresh,
    }),
    queue: useMutation({
      mutationFn: async (ids: string[]) =>
        (
          await call(
            "/api/v1/planner/ideas/queue_to_writer/",
            "post",
            api.POST("/api/v1/planner/ideas/queue_to_writer/", { body: { idea_ids: ids } }),
          )
        ).data,
      onSuccess: refresh,
    }),
    generate: useMutation({
      mutationFn: async (body: GenerateIdeas) =>
        (
          await call(
            "/api/v1/planner/clusters/generate_ideas/",
            "post",
            api.POST("/api/v1/planner/clusters/generate_ideas/", { body }),
          )
        ).data,
      meta: { handlesErrors: true },
    }),
  };
}
