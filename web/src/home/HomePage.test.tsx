import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { session } from "../auth/session";
import { WorkspaceProvider } from "../sites/workspace";
import { answer, renderWithProviders, stubFetch } from "../test/render";
import { HomePage } from "./HomePage";

// The chart itself (canvas) is ECharts' business; jsdom has no canvas.
vi.mock("./CreditsChart", () => ({
  CreditsChart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const SITE = "3f1e7a52-0000-4000-8000-000000000001";
const site = { id: SITE, account_id: "a1", name: "Garden blog", domain: null, is_active: true, created_at: "2026-01-01T00:00:00Z" };

function listing(count: number, results: unknown[] = []) {
  return answer(200, { success: true, count, next: null, previous: null, results, request_id: "r" });
}

const COUNTS: Record<string, number> = { draft: 4, review: 3, approved: 2, published: 1 };

async function signIn(seen: URL[], plannerDown = false): Promise<void> {
  const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 900 }));
  stubFetch((request) => {
    const url = new URL(request.url);
    seen.push(url);
    const q = url.searchParams;
    if (plannerDown && url.pathname.startsWith("/api/v1/planner/"))
      return answer(503, { success: false, error: "The planner is unavailable; try again shortly.", request_id: "req-503" }, "req-503");
    switch (url.pathname) {
      case "/api/v1/auth/login/":
        return answer(200, {
          success: true, message: null, request_id: "r",
          data: {
            access: `h.${payload}.s`,
            user: {
              id: "u1", account_id: "a1", email: "o@example.com", first_name: "", last_name: "", role: "owner",
              is_active: true, created_at: "2026-01-01T00:00:00Z", account: { id: "a1", name: "Agency", plan_slug: "starter" },
            },
          },
        });
      case "/api/v1/auth/sites/":
        return listing(1, [site]);
      case "/api/v1/auth/sectors/":
        return listing(0);
      case "/api/v1/planner/keywords/":
        return listing(q.get("site_id") === SITE ? 1234 : 0);
      case "/api/v1/planner/clusters/":
        return listing(56);
      case "/api/v1/planner/ideas/":
        return listing(21);
      case "/api/v1/writer/tasks/":
        return listing(13);
      case "/api/v1/writer/content/":
        return listing(COUNTS[q.get("status") ?? ""] ?? 99);
      case "/api/v1/billing/usage/":
        return answer(200, {
          success: true, request_id: "r",
          data: {
            by_operation: [],
            by_day: [
              { day: new Date().toISOString().slice(0, 10), operation_type: "writer.content", credits: 30 },
              { day: new Date().toISOString().slice(0, 10), operation_type: "planner.ideas", credits: 12 },
            ],
          },
        });
      case "/api/v1/operations/":
        return listing(1, [{
          id: "op1", task_id: "op1", account_id: "a1", site_id: SITE, kind: "publisher.content.publish", state: "failed",
          phase: "DONE", percent: 50, message: "", result: null, error: "WordPress refused", cost: null, is_final: true,
          created_at: "2026-12-07T03:00:00Z", updated_at: "2026-12-07T03:00:00Z",
          meta: { phase: "DONE", percentage: 50, message: "", cost: null },
        }]);
      default:
        return answer(404, { success: false, error: "Not found.", request_id: "r" });
    }
  });
  await session.signIn({ email: "o@example.com", password: "x" });
}

afterEach(() => {
  window.localStorage.clear();
  vi.unstubAllGlobals();
});

describe("HomePage", () => {
  it("shows the chosen site's counts through the pipeline, credits per day and recent operations", async () => {
    const seen: URL[] = [];
    await signIn(seen);
    renderWithProviders(
      <WorkspaceProvider>
        <HomePage />
      </WorkspaceProvider>,
    );
    const pipeline = await screen.findByTestId("pipeline");
    const expected: [string, string][] = [
      ["keywords", "Keywords1,234"],
      ["clusters", "Clusters56"],
      ["ideas", "Ideas21"],
      ["tasks", "Tasks13"],
      ["drafts", "Drafts4"],
      ["review", "In review3"],
      ["approved", "Approved2"],
      ["published", "Published1"],
    ];
    for (const [stage, text] of expected) {
      await waitFor(() => expect(within(pipeline).getByTestId(`count-${stage}`)).toHaveTextContent(text), { timeout: 8000 });
    }
    // Every count is asked for the chosen site, one row a page.
    const counted = seen.filter((u) => /planner|writer/.test(u.pathname));
    expect(counted).toHaveLength(8);
    for (const url of counted) {
      expect(url.searchParams.get("site_id")).toBe(SITE);
      expect(url.searchParams.get("page_size")).toBe("1");
    }
    expect(await screen.findByTestId("credits-total")).toHaveTextContent("42 credits used in the last 30 days");
    expect(screen.getByRole("img", { name: "42 credits used in the last 30 days" })).toBeInTheDocument();
    const recent = await screen.findByTestId("recent-operations");
    expect(within(recent).getByRole("button", { name: "Details of Publishing" })).toBeInTheDocument();
    expect(within(recent).getByText("Failed")).toBeInTheDocument();
  }, 30_000);

  it("shows the counts it has when one owner is down, and says which failed", async () => {
    await signIn([], true);
    renderWithProviders(
      <WorkspaceProvider>
        <HomePage />
      </WorkspaceProvider>,
    );
    const pipeline = await screen.findByTestId("pipeline");
    await within(pipeline).findByText("13", undefined, { timeout: 8000 });
    const alert = await screen.findByText("Some counts could not be loaded.", undefined, { timeout: 15_000 });
    expect(alert.closest("[role=alert]")).toHaveTextContent("Request id: req-503");
    expect(within(pipeline).getByTestId("count-keywords")).toHaveTextContent("Keywords–");
    expect(within(pipeline).getByTestId("count-approved")).toHaveTextContent("Approved2");
  }, 30_000);
});
