import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { t } from "../i18n/strings";
import { answer, renderWithProviders } from "../test/render";
import { signInAs } from "../test/session";
import { ImportDialog } from "./ImportDialog";
import { ImportReport } from "./ImportReport";
import { found, SECTOR, SITE } from "./testing";
import { importReportOf } from "./transfer";
import type { Operation } from "../operations/api";

const i = t.planner.import;
const OPERATION = "20000000-0000-4000-8000-000000000001";

const RESULT = {
  dry_run: true,
  format: "semrush",
  encoding: "utf-8",
  rows: 6,
  imported: 0,
  duplicates: 1,
  duplicates_in_file: 1,
  duplicates_existing: 0,
  rejected: 2,
  rejected_rows: [
    { line: 3, reason: "volume: not a whole number ('lots')" },
    { line: 5, reason: "keyword: empty" },
  ],
  rejected_rows_truncated: false,
};

function operation(state: Operation["state"], result: Operation["result"]): Operation {
  return {
    id: OPERATION, task_id: OPERATION, account_id: "a1", site_id: SITE.id, kind: "planner.keywords.import",
    state, phase: "DONE", percent: 100, message: "6 rows read", result, error: null, cost: null,
    is_final: state === "succeeded", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
    meta: { phase: "DONE", percentage: 100, message: "6 rows read", cost: null },
  };
}

afterEach(() => window.localStorage.clear());

describe("the import report", () => {
  it("reads the operation's result and lists every rejected line with its reason", () => {
    const report = found(importReportOf(operation("succeeded", RESULT)));
    renderWithProviders(<ImportReport report={report} />);
    const table = screen.getByRole("table", { name: i.reportTable });
    const rows = within(table).getAllByRole("row");
    expect(rows.map((row) => [...row.querySelectorAll("th, td")].map((c) => c.textContent))).toEqual([
      [i.line, i.lineStatus, i.reason],
      ["3", i.rejectedStatus, "volume: not a whole number ('lots')"],
      ["5", i.rejectedStatus, "keyword: empty"],
    ]);
    expect(screen.getByText(i.dryRunNote)).toBeInTheDocument();
    expect(screen.getByText(`${i.wouldImport}: 3`)).toBeInTheDocument();
  });

  it("is nothing for an operation without one", () => {
    expect(importReportOf(operation("running", null))).toBeNull();
  });
});

describe("ImportDialog", () => {
  it("uploads the chosen file as a dry run and shows the progress and the report", async () => {
    const seen = await signInAs("editor", (_request, path) => {
      if (path === "/api/v1/planner/keywords/import_csv/") {
        return answer(202, { success: true, message: "Import queued.", request_id: "r", data: { operation_id: OPERATION } });
      }
      if (path === `/api/v1/operations/${OPERATION}/`) {
        return answer(200, { success: true, message: null, request_id: "r", data: operation("succeeded", RESULT) });
      }
      return undefined;
    });
    const user = userEvent.setup();
    renderWithProviders(<ImportDialog siteId={SITE.id} sectorId={SECTOR.id} onClose={() => undefined} />);
    const file = new File(["Keyword,Volume\nrunning shoes,100\n"], "semrush.csv", { type: "text/csv" });
    await user.upload(screen.getByLabelText(i.fileLabel), file);
    expect(screen.getByTestId("import-file")).toHaveTextContent("semrush.csv");
    await user.click(screen.getByRole("checkbox", { name: i.dryRun }));
    await user.click(screen.getByRole("button", { name: i.check }));

    expect(await screen.findByRole("table", { name: i.reportTable })).toHaveTextContent("keyword: empty");
    expect(screen.getByTestId("operation-progress")).toHaveAttribute("data-state", "succeeded");
    const upload = found(seen.find((r) => r.url.endsWith("/import_csv/")));
    const form = await upload.formData();
    expect(form.get("dry_run")).toBe("true");
    expect(form.get("all_or_nothing")).toBe("false");
    expect(form.get("sector_id")).toBe(SECTOR.id);
    // (jsdom's File does not survive undici's multipart encoding: its bytes are checked in the browser test.)
    expect(form.has("file")).toBe(true);
    expect(screen.getByRole("button", { name: i.importNow })).toBeInTheDocument();
  });

  it("shows the API's refusal of the file", async () => {
    await signInAs("editor", (_request, path) =>
      path === "/api/v1/planner/keywords/import_csv/"
        ? answer(400, { success: false, error: "Invalid input.", errors: { file: ["The file is empty."] }, request_id: "req-4" }, "req-4")
        : undefined,
    );
    const user = userEvent.setup();
    renderWithProviders(<ImportDialog siteId={SITE.id} sectorId={SECTOR.id} onClose={() => undefined} />);
    await user.upload(screen.getByLabelText(i.fileLabel), new File(["x"], "empty.csv", { type: "text/csv" }));
    await user.click(screen.getByRole("button", { name: i.start }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The file is empty.");
    expect(alert).toHaveTextContent(t.errors.requestId("req-4"));
  });
});
