import { configure, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { t } from "../i18n/strings";
import { answer, renderWithProviders } from "../test/render";
import { listing, ok, signInAs } from "../test/session";
import { TransactionsPage } from "./TransactionsPage";
import { UsagePage } from "./UsagePage";

vi.setConfig({ testTimeout: 30_000 });
configure({ asyncUtilTimeout: 10_000 });

// jsdom has no canvas: the chart is ECharts' business (drawn in the browser test); here, what
// it was given.
vi.mock("./UsageChart", () => ({
  UsageChart: ({ label, testId }: { label: string; testId: string }) => <div role="img" aria-label={label} data-testid={testId} />,
}));

const usage = {
  by_operation: [
    { operation_type: "content", operations: 2, quantity: 2600, credits: 7 },
    { operation_type: "ideas", operations: 1, quantity: 5, credits: 5 },
  ],
  by_day: [
    { day: "2026-01-02", operation_type: "content", credits: 7 },
    { day: "2026-01-02", operation_type: "ideas", credits: 5 },
  ],
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("UsagePage", () => {
  it("shows each chart with a table of the same figures", async () => {
    await signInAs("viewer", { "GET /api/v1/billing/usage/": () => answer(200, ok(usage)) });
    renderWithProviders(<UsagePage />);
    const table = await screen.findByTestId("usage-table-operations");
    const articles = within(table).getByRole("cell", { name: t.billing.operationTypes.content ?? "" }).closest("tr");
    expect(articles).toHaveTextContent(/2,600\s*7$/);
    expect(screen.getByTestId("usage-chart-operations")).toHaveAccessibleName(t.billing.chartLabel(t.billing.byOperation, 12));
    expect(within(screen.getByTestId("usage-table-days")).getAllByRole("row")).toHaveLength(3);
  });

  it("has an empty state, and shows a bad date range at its field", async () => {
    const requests = await signInAs("owner", {
      "GET /api/v1/billing/usage/": (request) =>
        new URL(request.url).searchParams.has("until")
          ? answer(400, { success: false, error: "Invalid input.", errors: { until: ["must not be before since"] }, request_id: "r" })
          : answer(200, ok({ by_operation: [], by_day: [] })),
    });
    renderWithProviders(<UsagePage />);
    expect(await screen.findByTestId("usage-empty")).toHaveTextContent(t.billing.usageEmpty);
    const until = screen.getByLabelText(t.billing.until);
    await userEvent.type(until, "2026-01-01");
    expect(await screen.findByText("must not be before since")).toBeInTheDocument();
    expect(until).toHaveAttribute("aria-invalid", "true");
    expect(requests.at(-1)?.url).toContain("until=2026-01-01");
  });
});

describe("TransactionsPage", () => {
  it("filters by kind and pages through the ledger", async () => {
    const row = (i: number) => ({
      id: `tx-${i}`, kind: "usage", reason: `Article ${i}`, plan_delta: -3, bonus_delta: 0, created_by: null,
      created_at: "2026-01-02T10:00:00Z",
    });
    const requests = await signInAs("viewer", {
      "GET /api/v1/billing/transactions/": (request) => {
        const query = new URL(request.url).searchParams;
        if (query.get("kind") === "adjustment") return answer(200, listing([]));
        const page = Number(query.get("page"));
        return answer(200, { ...listing([row(page)]), count: 30 });
      },
    });
    renderWithProviders(<TransactionsPage />);
    expect(await screen.findByRole("cell", { name: "Article 1" })).toBeInTheDocument();
    expect(screen.getByRole("cell", { name: t.billing.signed(-3) })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: t.billing.pageControls.next }));
    expect(await screen.findByRole("cell", { name: "Article 2" })).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByRole("combobox", { name: t.billing.kind }), "adjustment");
    expect(await screen.findByTestId("transactions-empty")).toBeInTheDocument();
    const last = new URL(requests.at(-1)?.url ?? "");
    expect([last.searchParams.get("kind"), last.searchParams.get("page")]).toEqual(["adjustment", "1"]);
  });
});
