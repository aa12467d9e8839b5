import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { t } from "../i18n/strings";
import { answer, renderWithProviders } from "../test/render";
import { listing, signInAs as signInWithRoutes } from "../test/session";
import { SitesPage } from "./SitesPage";
import { WorkspaceProvider } from "./workspace";

const site = {
  id: "3f1e7a52-0000-4000-8000-000000000001",
  account_id: "a1",
  name: "Garden blog",
  domain: "garden.example",
  is_active: true,
  created_at: "2026-01-01T00:00:00Z",
};
const sector = { id: "s1", account_id: "a1", site_id: site.id, name: "Roses", is_active: true, created_at: "2026-01-01T00:00:00Z" };

function signInAs(role: string, routes: Record<string, () => Response>): Promise<Request[]> {
  return signInWithRoutes(role, (_request, path) => routes[path]?.());
}

function renderPage() {
  return renderWithProviders(
    <WorkspaceProvider>
      <SitesPage />
    </WorkspaceProvider>,
  );
}

afterEach(() => {
  window.localStorage.clear();
});

describe("SitesPage", () => {
  it("offers owners every control", async () => {
    await signInAs("owner", {
      "/api/v1/auth/sites/": () => answer(200, listing([site])),
      "/api/v1/auth/sectors/": () => answer(200, listing([sector])),
    });
    renderPage();
    expect(await screen.findByRole("cell", { name: "Garden blog" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: t.sites.addSite })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: t.sites.editNamed("Garden blog") })).toBeInTheDocument();
    expect(await screen.findByRole("cell", { name: "Roses" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: t.sites.addSector })).toBeInTheDocument();
  });

  it("offers a viewer no control it may not use", async () => {
    await signInAs("viewer", {
      "/api/v1/auth/sites/": () => answer(200, listing([site])),
      "/api/v1/auth/sectors/": () => answer(200, listing([sector])),
    });
    renderPage();
    expect(await screen.findByRole("cell", { name: "Garden blog" })).toBeInTheDocument();
    expect(await screen.findByRole("cell", { name: "Roses" })).toBeInTheDocument();
    expect(screen.getByText(t.sites.readOnly)).toBeInTheDocument();
    for (const name of [t.sites.addSite, t.sites.addSector, t.sites.editNamed("Garden blog"), t.sites.deleteNamed("Roses")]) {
      expect(screen.queryByRole("button", { name })).not.toBeInTheDocument();
    }
  });

  it("has an empty state", async () => {
    await signInAs("admin", { "/api/v1/auth/sites/": () => answer(200, listing([])) });
    renderPage();
    expect(await screen.findByText(t.sites.empty)).toBeInTheDocument();
    expect(screen.getByText(t.sites.emptyHint)).toBeInTheDocument();
  });

  it("has an error state with the request id and a retry", async () => {
    await signInAs("owner", {
      "/api/v1/auth/sites/": () =>
        answer(503, { success: false, error: "A backing service is unavailable; retry shortly.", request_id: "req-503" }, "req-503"),
    });
    renderPage();
    const alert = await screen.findByRole("alert", {}, { timeout: 5000 });
    expect(alert).toHaveTextContent(t.sites.loadFailed);
    expect(alert).toHaveTextContent(t.errors.requestId("req-503"));
    expect(screen.getByRole("button", { name: t.errors.retry })).toBeInTheDocument();
  });
});
