import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { t } from "../i18n/strings";
import { answer, renderWithProviders, stubFetch } from "../test/render";
import { SiteForm } from "./SiteForm";

const site = {
  id: "3f1e7a52-0000-4000-8000-000000000001",
  account_id: "a1",
  name: "Garden blog",
  domain: "garden.example",
  is_active: true,
  created_at: "2026-01-01T00:00:00Z",
};

describe("SiteForm", () => {
  it("shows the API's field errors next to their fields", async () => {
    const requests = stubFetch(() =>
      answer(400, {
        success: false,
        error: "Invalid input.",
        errors: { domain: ["Enter a domain such as example.com."] },
        request_id: "req-site-1",
      }),
    );
    const done = vi.fn();
    renderWithProviders(<SiteForm onDone={done} onCancel={vi.fn()} />);
    await userEvent.type(screen.getByLabelText(new RegExp(`^${t.sites.name}`)), "Garden blog");
    await userEvent.type(screen.getByLabelText(new RegExp(`^${t.sites.domain}`)), "not a domain");
    await userEvent.click(screen.getByRole("button", { name: t.sites.create }));

    const error = await screen.findByText("Enter a domain such as example.com.");
    const domain = screen.getByLabelText(new RegExp(`^${t.sites.domain}`));
    expect(domain).toHaveAttribute("aria-invalid", "true");
    expect(domain.getAttribute("aria-describedby")).toContain(error.id);
    expect(screen.getByLabelText(new RegExp(`^${t.sites.name}`))).not.toHaveAttribute("aria-invalid", "true");
    expect(done).not.toHaveBeenCalled();
    expect(await requests[0]?.json()).toEqual({ name: "Garden blog", domain: "not a domain" });
  });

  it("shows a refusal of no field (a plan limit) with its request id", async () => {
    stubFetch(() =>
      answer(403, { success: false, error: "Your plan allows 1 site.", request_id: "req-limit" }, "req-limit"),
    );
    renderWithProviders(<SiteForm onDone={vi.fn()} onCancel={vi.fn()} />);
    await userEvent.type(screen.getByLabelText(new RegExp(`^${t.sites.name}`)), "Second site");
    await userEvent.click(screen.getByRole("button", { name: t.sites.create }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Your plan allows 1 site.");
    expect(alert).toHaveTextContent(t.errors.requestId("req-limit"));
  });

  it("edits a site: sends only what the form holds, empty domain as null", async () => {
    const requests = stubFetch(() =>
      answer(200, { success: true, data: { ...site, domain: null }, message: "Site updated.", request_id: "r" }),
    );
    const done = vi.fn();
    renderWithProviders(<SiteForm site={site} onDone={done} onCancel={vi.fn()} />);
    await userEvent.clear(screen.getByLabelText(new RegExp(`^${t.sites.domain}`)));
    await userEvent.click(screen.getByRole("button", { name: t.sites.save }));
    await vi.waitFor(() => expect(done).toHaveBeenCalledOnce());
    const sent = requests[0];
    expect(sent?.method).toBe("PATCH");
    expect(sent?.url).toContain(`/api/v1/auth/sites/${site.id}/`);
    expect(await sent?.json()).toEqual({ name: "Garden blog", domain: null, is_active: true });
  });
});
