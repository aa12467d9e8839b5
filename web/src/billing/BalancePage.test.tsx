import { configure, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

// Generous: the machine running the suite may be busy.
vi.setConfig({ testTimeout: 30_000 });
configure({ asyncUtilTimeout: 10_000 });

import { t } from "../i18n/strings";
import { answer, renderWithProviders } from "../test/render";
import { listing, ok, signInAs, type Routes } from "../test/session";
import { BalancePage } from "./BalancePage";

const balance = {
  account_id: "a1",
  plan_slug: "free",
  plan_credits: 100,
  bonus_credits: 20,
  total_credits: 120,
  held_credits: 4,
  open_holds: 1,
  available_credits: 116,
  period_start: "2026-01-01T00:00:00Z",
  period_end: "2026-02-01T00:00:00Z",
};
const plans = [
  { slug: "free", name: "Free", monthly_credits: 100, price_monthly: "0.00", max_sites: 1, max_users: 1, is_default: true },
  { slug: "starter", name: "Starter", monthly_credits: 1000, price_monthly: "29.00", max_sites: 3, max_users: 3, is_default: false },
];

const routes = (extra: Routes = {}): Routes => ({
  "GET /api/v1/billing/balance/": () => answer(200, ok(balance)),
  "GET /api/v1/billing/plans/": () => answer(200, listing(plans)),
  ...extra,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("BalancePage", () => {
  it("shows both pools, what running operations hold, and the plan", async () => {
    await signInAs("viewer", routes());
    renderWithProviders(<BalancePage />);
    expect(await screen.findByTestId("available")).toHaveTextContent(t.billing.credits(116));
    expect(screen.getByTestId("plan-credits")).toHaveTextContent(t.billing.credits(100));
    expect(screen.getByTestId("bonus-credits")).toHaveTextContent(t.billing.credits(20));
    expect(screen.getByTestId("held-credits")).toHaveTextContent(t.billing.heldHint(1));
    expect(await screen.findByTestId("current-plan")).toHaveTextContent("Free");
  });

  it("lets an owner change the plan, after saying what it does", async () => {
    const switched = { ...balance, plan_slug: "starter", plan_credits: 1000, total_credits: 1020, available_credits: 1016 };
    let current = balance;
    const requests = await signInAs("owner", {
      ...routes(),
      "GET /api/v1/billing/balance/": () => answer(200, ok(current)),
      "POST /api/v1/billing/plan/": () => {
        current = switched;
        return answer(200, ok(switched, "Plan changed."));
      },
    });
    renderWithProviders(<BalancePage />);
    await userEvent.click(await screen.findByRole("button", { name: t.billing.switchTo("Starter") }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent(t.billing.confirmSwitch("Starter", 1000));
    await userEvent.click(within(dialog).getByRole("button", { name: t.billing.switchConfirm }));
    expect(await screen.findByTestId("current-plan")).toHaveTextContent("Starter");
    const sent = requests.find((r) => r.method === "POST");
    expect(sent?.url).toContain("/api/v1/billing/plan/");
    expect(await sent?.json()).toEqual({ plan_slug: "starter" });
    expect(screen.getByRole("table", { name: t.billing.plansTitle })).toHaveTextContent(t.billing.current);
  });

  it("shows the API's refusal of a plan change in the dialog", async () => {
    await signInAs(
      "owner",
      routes({
        "POST /api/v1/billing/plan/": () =>
          answer(400, { success: false, error: "Invalid input.", errors: { plan_slug: ["Unknown plan 'starter'"] }, request_id: "req-plan" }, "req-plan"),
      }),
    );
    renderWithProviders(<BalancePage />);
    await userEvent.click(await screen.findByRole("button", { name: t.billing.switchTo("Starter") }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(within(dialog).getByRole("button", { name: t.billing.switchConfirm }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Unknown plan 'starter'");
    expect(alert).toHaveTextContent(t.errors.requestId("req-plan"));
  });

  it.each(["admin", "editor", "viewer"])("offers no plan change to an %s", async (role) => {
    await signInAs(role, routes());
    renderWithProviders(<BalancePage />);
    expect(await screen.findByRole("cell", { name: "Starter" })).toBeInTheDocument();
    expect(screen.getByText(t.billing.ownersOnly)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: t.billing.switchTo("Starter") })).not.toBeInTheDocument();
  });

  it("has an error state with the request id", async () => {
    await signInAs("owner", {
      "GET /api/v1/billing/balance/": () =>
        answer(503, { success: false, error: "Billing is unavailable; retry shortly.", request_id: "req-503" }, "req-503"),
      "GET /api/v1/billing/plans/": () => answer(200, listing(plans)),
    });
    renderWithProviders(<BalancePage />);
    const alert = await screen.findByRole("alert", {}, { timeout: 5000 });
    expect(alert).toHaveTextContent(t.billing.balanceLoadFailed);
    expect(alert).toHaveTextContent(t.errors.requestId("req-503"));
  });
});
