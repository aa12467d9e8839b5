import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { session } from "../auth/session";
import { WorkspaceProvider } from "../sites/workspace";
import { answer, renderWithProviders, stubFetch } from "../test/render";
import { WordPressPage } from "./WordPressPage";

const SITE = "3f1e7a52-0000-4000-8000-000000000001";
const INTEGRATION = "9a000000-0000-4000-8000-000000000009";
const site = { id: SITE, account_id: "a1", name: "Trail blog", domain: null, is_active: true, created_at: "2026-01-01T00:00:00Z" };
const integration = {
  id: INTEGRATION, site_id: SITE, platform: "wordpress", url: "https://blog.example.com", username: "editor",
  has_app_password: true, is_active: true, status: "active", last_error: "", auto_publish: false, publish_status: "publish",
  last_checked_at: null, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
  structure: {
    categories: [], tags: [], post_types: [], synced_at: "2026-01-02T00:00:00Z",
    authors: [{ id: 3, name: "Jo Writer", slug: "jo", count: null }],
  },
};

function listing(results: unknown[]) {
  return answer(200, { success: true, count: results.length, next: null, previous: null, results, request_id: "r" });
}

async function signInAs(role: string, integrations: unknown[], extra: Record<string, (r: Request) => Response> = {}) {
  const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 900 }));
  const seen = stubFetch((request) => {
    const path = new URL(request.url).pathname;
    const route = extra[`${request.method} ${path}`];
    if (route) return route(request);
    switch (path) {
      case "/api/v1/auth/login/":
        return answer(200, {
          success: true, message: null, request_id: "r",
          data: {
            access: `h.${payload}.s`,
            user: {
              id: `u-${role}`, account_id: "a1", email: `${role}@example.com`, first_name: "", last_name: "", role,
              is_active: true, created_at: "2026-01-01T00:00:00Z", account: { id: "a1", name: "Agency", plan_slug: "starter" },
            },
          },
        });
      case "/api/v1/auth/sites/":
        return listing([site]);
      case "/api/v1/auth/sectors/":
        return listing([]);
      case "/api/v1/integration/integrations/":
        return listing(integrations);
      case `/api/v1/integration/integrations/${INTEGRATION}/default-author/`:
        return answer(200, { success: true, request_id: "r", data: { integration_id: INTEGRATION, author_id: 3, author: integration.structure.authors[0] } });
      case `/api/v1/integration/integrations/${INTEGRATION}/connection-key/`:
        return answer(200, {
          success: true, request_id: "r",
          data: { integration_id: INTEGRATION, site_id: SITE, issued: false, issued_at: null, deliveries_received: 0, last_delivery_at: null },
        });
      default:
        return answer(404, { success: false, error: "Not found.", request_id: "r" });
    }
  });
  await session.signIn({ email: `${role}@example.com`, password: "x" });
  return seen;
}

function renderPage() {
  return renderWithProviders(
    <WorkspaceProvider>
      <WordPressPage />
    </WorkspaceProvider>,
  );
}

afterEach(() => {
  window.localStorage.clear();
  vi.unstubAllGlobals();
});

describe("WordPressPage", () => {
  it("offers a viewer no control it may not use", async () => {
    await signInAs("viewer", [integration]);
    renderPage();
    await screen.findByRole("heading", { name: "https://blog.example.com" }, { timeout: 8000 });
    expect(await screen.findByTestId("default-author")).toHaveTextContent("Default author: Jo Writer");
    await screen.findByTestId("key-status");
    for (const name of ["Test connection", "Change credentials", "Disconnect", "Sync structure", "Create connection key"]) {
      expect(screen.queryByRole("button", { name })).toBeNull();
    }
    expect(screen.getByRole("button", { name: "Download the plugin (zip)" })).toBeInTheDocument();
  }, 20_000);

  it("tells a viewer of a site with no WordPress that owners and admins connect it", async () => {
    await signInAs("viewer", []);
    renderPage();
    expect(await screen.findByText(/Only owners and admins can connect WordPress/, undefined, { timeout: 8000 })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Connect" })).toBeNull();
  }, 20_000);

  it("shows the API's field errors next to the connection fields", async () => {
    await signInAs("owner", [], {
      "POST /api/v1/integration/integrations/": () =>
        answer(400, { success: false, error: "Invalid input.", errors: { url: ["refused: a private address"] }, request_id: "req-9" }),
    });
    renderPage();
    await userEvent.type(await screen.findByRole("textbox", { name: "WordPress address" }, { timeout: 8000 }), "http://10.0.0.1");
    await userEvent.type(screen.getByRole("textbox", { name: "WordPress user name" }), "admin");
    await userEvent.type(screen.getByLabelText(/Application password/), "abcd efgh");
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    const url = screen.getByRole("textbox", { name: "WordPress address" });
    await waitFor(() => expect(url).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByText("refused: a private address")).toBeInTheDocument();
  }, 20_000);
});
