import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { t } from "../i18n/strings";
import { answer } from "../test/render";
import { listing, signInAs } from "../test/session";
import { KeywordsPage } from "./KeywordsPage";
import { found, keyword, renderInSector, workspaceRoute } from "./testing";

const ROWS = [keyword(1, "running shoes"), keyword(2, "trail shoes"), keyword(3, "yoga mat")];
const YOGA_AND_RUNNING = [keyword(3, "yoga mat").id, keyword(1, "running shoes").id] as const;
const k = t.planner.keywords;

async function owner(extra: (request: Request, path: string) => Response | undefined = () => undefined) {
  return signInAs("owner", (request, path) => {
    const own = extra(request, path);
    if (own) return own;
    if (path === "/api/v1/planner/keywords/" && request.method === "GET") return answer(200, listing(ROWS));
    if (path === "/api/v1/planner/clusters/") return answer(200, listing([]));
    return workspaceRoute(path);
  });
}

/** The in-place edit button of a keyword's field (its name: what it edits, then the value). */
const editButton = (field: string, keyword: string) => (name: string) => name.startsWith(k.edit(field, keyword).trim());

function rowOf(name: string): HTMLElement {
  const cell = screen.getByRole("button", { name: editButton(k.keyword, name) });
  return found(cell.closest("tr"));
}

// jsdom lays nothing out: the table's scroll container is given the height a browser would
// give it, so that the virtualiser has rows in view to render.
const sizes = ["clientHeight", "clientWidth"] as const;
beforeAll(() => {
  for (const size of sizes) {
    Object.defineProperty(HTMLElement.prototype, size, {
      configurable: true,
      get(this: HTMLElement) {
        return this.dataset.testid === "keywords-scroller" ? 600 : 0;
      },
    });
  }
});
afterAll(() => {
  for (const size of sizes) Reflect.deleteProperty(HTMLElement.prototype, size);
});
afterEach(() => window.localStorage.clear());

describe("KeywordsPage", () => {
  it("lists the sector's keywords with the filters in the query", async () => {
    const seen = await owner();
    renderInSector(<KeywordsPage />, "owner");
    expect(await screen.findByRole("button", { name: editButton(k.keyword, "yoga mat") })).toBeInTheDocument();
    expect(screen.getByTestId("keywords-count")).toHaveTextContent(k.total(3));
    const asked = found(seen.map((r) => new URL(r.url)).find((u) => u.pathname === "/api/v1/planner/keywords/"));
    expect(asked.searchParams.get("sector_id")).toBe("3f1e7a52-0000-4000-8000-000000000002");
    expect(asked.searchParams.get("page_size")).toBe("200");
  });

  it("selects rows and sets their status in bulk", async () => {
    const seen = await owner((_request, path) =>
      path === "/api/v1/planner/keywords/bulk_update_status/"
        ? answer(200, { success: true, message: "2 keywords updated.", request_id: "r", data: { updated_count: 2 } })
        : undefined,
    );
    const user = userEvent.setup();
    renderInSector(<KeywordsPage />, "owner");
    await user.click(await screen.findByRole("checkbox", { name: t.planner.selectRow("running shoes") }));
    await user.click(screen.getByRole("checkbox", { name: t.planner.selectRow("yoga mat") }));
    const bar = screen.getByRole("toolbar", { name: t.planner.selected(2) });
    await user.selectOptions(within(bar).getByRole("combobox", { name: k.setStatus }), "used");
    await user.click(within(bar).getByRole("button", { name: t.planner.apply }));

    await waitFor(() => expect(within(rowOf("yoga mat")).getByText(t.planner.status.used)).toBeInTheDocument());
    expect(within(rowOf("running shoes")).getByText(t.planner.status.used)).toBeInTheDocument();
    expect(within(rowOf("trail shoes")).getByText(t.planner.status.pending)).toBeInTheDocument();
    const sent = found(seen.find((r) => r.url.endsWith("/bulk_update_status/")));
    expect(await sent.json()).toEqual({ ids: [YOGA_AND_RUNNING[1], YOGA_AND_RUNNING[0]], status: "used" });
  });

  it("deletes the selected rows after asking", async () => {
    await owner((_request, path) =>
      path === "/api/v1/planner/keywords/bulk_delete/"
        ? answer(200, { success: true, message: "1 keywords deleted.", request_id: "r", data: { deleted_count: 1 } })
        : undefined,
    );
    const user = userEvent.setup();
    renderInSector(<KeywordsPage />, "owner");
    await user.click(await screen.findByRole("checkbox", { name: t.planner.selectRow("trail shoes") }));
    await user.click(screen.getByRole("button", { name: k.deleteSelected }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent(k.confirmDelete(1));
    await user.click(within(dialog).getByRole("button", { name: t.planner.delete }));
    await waitFor(() => expect(screen.queryByRole("button", { name: editButton(k.keyword, "trail shoes") })).not.toBeInTheDocument());
    expect(screen.getByRole("button", { name: editButton(k.keyword, "yoga mat") })).toBeInTheDocument();
  });

  it("edits a field in place and shows the API's error for it", async () => {
    const seen = await owner((request, path) =>
      request.method === "PATCH" && path.startsWith("/api/v1/planner/keywords/")
        ? answer(
            400,
            { success: false, error: "Invalid input.", errors: { difficulty: ["Input should be less than or equal to 100"] }, request_id: "req-9" },
            "req-9",
          )
        : undefined,
    );
    const user = userEvent.setup();
    renderInSector(<KeywordsPage />, "owner");
    await user.click(await screen.findByRole("button", { name: editButton(k.difficulty, "yoga mat") }));
    const input = screen.getByRole("textbox", { name: k.editing(k.difficulty, "yoga mat") });
    await user.clear(input);
    await user.type(input, "150{Enter}");

    expect(await screen.findByText("Input should be less than or equal to 100")).toBeInTheDocument();
    expect(input).toHaveAttribute("aria-invalid", "true");
    const sent = found(seen.find((r) => r.method === "PATCH"));
    expect(sent.url).toContain(YOGA_AND_RUNNING[0]);
    expect(await sent.json()).toEqual({ difficulty: 150 });
    await user.type(input, "{Escape}");
    expect(screen.getByRole("button", { name: editButton(k.difficulty, "yoga mat") })).toHaveTextContent("13");
  });

  it("saves an edit and shows the saved value", async () => {
    await owner((request, path) =>
      request.method === "PATCH" && path.startsWith("/api/v1/planner/keywords/")
        ? answer(200, { success: true, message: "Keyword updated.", request_id: "r", data: { ...ROWS[0], volume: 4200 } })
        : undefined,
    );
    const user = userEvent.setup();
    renderInSector(<KeywordsPage />, "owner");
    await user.click(await screen.findByRole("button", { name: editButton(k.volume, "running shoes") }));
    const input = screen.getByRole("textbox", { name: k.editing(k.volume, "running shoes") });
    await user.clear(input);
    await user.type(input, "4200{Enter}");
    expect(await screen.findByRole("button", { name: editButton(k.volume, "running shoes") })).toHaveTextContent((4200).toLocaleString());
  });

  it("offers a viewer no control that changes anything", async () => {
    await signInAs("viewer", (_request, path) => {
      if (path === "/api/v1/planner/keywords/") return answer(200, listing(ROWS));
      if (path === "/api/v1/planner/clusters/") return answer(200, listing([]));
      return workspaceRoute(path);
    });
    renderInSector(<KeywordsPage />, "viewer");
    expect(await screen.findByText("yoga mat")).toBeInTheDocument();
    expect(screen.getByText(t.planner.readOnly)).toBeInTheDocument();
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();
    for (const name of [k.add, k.import, editButton(k.keyword, "yoga mat")]) {
      expect(screen.queryByRole("button", { name })).not.toBeInTheDocument();
    }
    expect(screen.getByRole("button", { name: k.export })).toBeInTheDocument();
  });

  it("has an error state with the request id", async () => {
    await signInAs("owner", (_request, path) =>
      path === "/api/v1/planner/keywords/"
        ? answer(503, { success: false, error: "A backing service is unavailable; retry shortly.", request_id: "req-503" }, "req-503")
        : path === "/api/v1/planner/clusters/"
          ? answer(200, listing([]))
          : workspaceRoute(path),
    );
    renderInSector(<KeywordsPage />, "owner");
    const alert = await screen.findByRole("alert", {}, { timeout: 5000 });
    expect(alert).toHaveTextContent(k.loadFailed);
    expect(alert).toHaveTextContent(t.errors.requestId("req-503"));
  });
});
