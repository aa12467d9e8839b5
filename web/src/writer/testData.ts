/** Data shaped as the API answers it, for the writer's component tests. */
import type { Content, Version } from "./api";

export const CONTENT_ID = "c0ffee00-0000-4000-8000-000000000001";

export const article: Content = {
  id: CONTENT_ID,
  site_id: "3f1e7a52-0000-4000-8000-000000000001",
  sector_id: "3f1e7a52-0000-4000-8000-000000000002",
  task_id: null,
  cluster_id: null,
  author_profile_id: null,
  title: "Pruning roses in spring",
  slug: "pruning-roses-in-spring",
  html: "<p>Cut above an <strong>outward-facing</strong> bud.</p><h2>Tools</h2><p>Sharp secateurs.</p>",
  excerpt: "How and when to prune roses.",
  meta_title: "Pruning roses in spring: a step-by-step guide",
  meta_description: "When to prune roses, which tools to use and where to cut, explained for beginners.",
  focus_keyword: "pruning roses",
  categories: [],
  tags: [],
  language: "en",
  word_count: 9,
  status: "draft",
  version: 2,
  offline: true,
  external_id: null,
  external_url: null,
  published_at: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-02T00:00:00Z",
};

export function version(n: number, title: string, html: string): Version {
  return {
    version: n,
    title,
    html,
    source: n === 1 ? "generated" : "edited",
    restored_from: null,
    created_by: null,
    created_at: `2026-01-0${n}T00:00:00Z`,
  };
}
