import { fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { session } from "../auth/session";
import { t } from "../i18n/strings";
import { WorkspaceProvider } from "../sites/workspace";
import { answer, renderWithProviders, stubFetch } from "../test/render";
import { AutomationPage } from "./AutomationPage";

const SITE_ID = "3f1e7a52-0000-4000-8000-000000000001";
const site = { id: SITE_ID, account_id: "a1", name: "Garden blog", domain: "garden.example", is_active: true, created_at: "2026-01-01T00:00:00Z" };
const config = {
  site_id: SITE_ID, is_active: false, schedule: null, timezone: "UTC", cluster_limit: 10, ideas_limit: 10,
  content_limit: 5, images_limit: 10, publish_limit: 5, in_article_images: 1, delay_seconds: 0,
  max_run_minutes: 60, auto_approve: false, auto_publish: false, stop_on_error: true,
  next_run_at: null, updated_at: null,
};
const stageNames = ["cluster", "ideas", "queue", "articles", "images", "review", "publish"];
const run = {
  id: "9d6f0000-0000-4000-8000-000000000009", site_id: SITE_ID, status: "paused", stage: "ideas",
  trigger: "manual", started_by: "u-owner", pause_reason: "credits", pause_details: { available: ["0"] },
  error: "", items: [], created_at: "2026-01-01T00:00:00Z", started_at: "2026-01-01T00:00:00Z",
  finished_at: null, deadline_at: null,
  stages: stageNames.map((stage) => ({
    stage, state: stage === "cluster" ? "done" : "waiting", total: stage === "cluster" ? 6 : 0,
    processed: stage === "cluster" ? 6 : 0, failed: 0, operation_ids: [], message: "",
  })),
};

function listing(results: unknown[]) {
  return { success: true, count: results.length, next: null, previous: null, results, request_id: "r" };
}
const ok = (data: unknown) => answer(200, { success: true, message: null, data, request_id: "r" });

async function signInAs(role: string, routes: Record<string, (request: Request) => Response>): Promise<Request[]> {
  const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 900 }));
  const seen = stubFetch((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/v1/auth/login/") {
      return ok({
        access: `h.${payload}.s`,
        user: {
          id: `u-${role}`, account_id: "a1", email: `${role}@example.com`, first_name: "", last_name: "", role,
          is_active: true, created_at: "2026-01-01T00:00:00Z", account: { id: "a1", name: "Agency", plan_slug: "starter" },
        },
      });
    }
    if (path === "/api/v1/auth/sites/") return answer(200, listing([site]));
    if (path === "/api/v1/auth/sectors/") return answer(200, listing([]));
    const route = routes[`${request.method} ${path}`];
    return route ? route(request) : answer(404, { success: false, error: "Not found.", request_id: "r" });
  });
  await session.signIn({ email: `${role}@example.com`, password: "x" });
  return seen;
}

function renderPage() {
  return renderWithProviders(
    <WorkspaceProvider>
      <AutomationPage />
    </WorkspaceProvider>,
  );
}

// Each test signs in and renders the whole page: on a loaded machine that takes seconds.
const SLOW = 30_000;

afterEach(() => window.localStorage.clear());

describe("AutomationPage", () => {
  it("shows a paused run's stages and lets an editor resume it, without the settings' save", async () => {
    const seen = await signInAs("editor", {
      [`GET /api/v1/automation/config/${SITE_ID}/`]: () => ok(config),
      "GET /api/v1/automation/runs/": () => answer(200, listing([run])),
      [`POST /api/v1/automation/runs/${run.id}/resume/`]: () => ok({ ...run, status: "running", pause_reason: null }),
    });
    renderPage();
    expect(await screen.findByText(t.automation.pausedFor("credits"))).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: t.automation.stageProgress(t.automation.stages.cluster, 6, 6) })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: t.automation.save })).not.toBeInTheDocument();
    expect(screen.getByText(t.automation.readOnlySettings)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: t.automation.resume }));
    await waitFor(() => expect(seen.some((r) => r.method === "POST" && r.url.endsWith("/resume/"))).toBe(true));
  }, SLOW);

  it("offers a viewer no control, and says when there is no run", async () => {
    await signInAs("viewer", {
      [`GET /api/v1/automation/config/${SITE_ID}/`]: () => ok(config),
      "GET /api/v1/automation/runs/": () => answer(200, listing([])),
    });
    renderPage();
    expect(await screen.findByText(t.automation.noCurrentRun)).toBeInTheDocument();
    expect(screen.getByText(t.automation.noRuns)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: t.automation.runNow })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: t.automation.save })).not.toBeInTheDocument();
  }, SLOW);

  it("shows the API's field errors next to their fields", async () => {
    await signInAs("owner", {
      [`GET /api/v1/automation/config/${SITE_ID}/`]: () => ok(config),
      "GET /api/v1/automation/runs/": () => answer(200, listing([])),
      [`PUT /api/v1/automation/config/${SITE_ID}/`]: () =>
        answer(400, {
          success: false, error: "Invalid input.", request_id: "r",
          errors: { schedule: ["Not a valid cron expression: 61"] },
        }),
    });
    renderPage();
    const schedule = await screen.findByLabelText(t.automation.schedule);
    fireEvent.change(schedule, { target: { value: "61 * * * *" } });
    fireEvent.click(screen.getByRole("button", { name: t.automation.save }));
    expect(await screen.findByText("Not a valid cron expression: 61")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: t.automation.runNow })).toBeInTheDocument();
  }, SLOW);
});
