/**
 * Keyword files in and out: the CSV upload that starts an import operation (multipart, as
 * the API takes it), the import's report read from the finished operation's result, and the
 * CSV export of the current filters saved as a download.
 */
import { api, call } from "../api/client";
import { apiErrorOf, networkError } from "../api/errors";
import type { Operation } from "../operations/api";
import type { KeywordQuery } from "./api";

export interface ImportOptions {
  file: File;
  siteId: string;
  sectorId: string;
  dryRun: boolean;
  allOrNothing: boolean;
}

/** Uploads the file; the started operation's id. */
export async function startImport({ file, siteId, sectorId, dryRun, allOrNothing }: ImportOptions): Promise<string> {
  const fields = { site_id: siteId, sector_id: sectorId, dry_run: dryRun, all_or_nothing: allOrNothing };
  const answer = await call(
    "/api/v1/planner/keywords/import_csv/",
    "post",
    api.POST("/api/v1/planner/keywords/import_csv/", {
      body: { file: file.name, ...fields },
      bodySerializer: () => {
        const form = new FormData();
        form.append("file", file, file.name);
        for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
        return form;
      },
    }),
  );
  return answer.data.operation_id;
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface ImportReport {
  dryRun: boolean;
  format: string;
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  rejectedRows: RejectedRow[];
  truncated: boolean;
}

const num = (value: unknown): number => (typeof value === "number" ? value : 0);

/** The report in an import operation's result (the planner's ImportReport.as_result), or null. */
export function importReportOf(operation: Pick<Operation, "result"> | undefined): ImportReport | null {
  const result = operation?.result;
  if (!result || typeof result.rows !== "number") return null;
  const rows = Array.isArray(result.rejected_rows) ? (result.rejected_rows as unknown[]) : [];
  return {
    dryRun: result.dry_run === true,
    format: typeof result.format === "string" ? result.format : "",
    rows: num(result.rows),
    imported: num(result.imported),
    duplicates: num(result.duplicates),
    rejected: num(result.rejected),
    rejectedRows: rows.flatMap((row) => {
      if (typeof row !== "object" || row === null) return [];
      const { line, reason } = row as Record<string, unknown>;
      return typeof line === "number" ? [{ line, reason: typeof reason === "string" ? reason : "" }] : [];
    }),
    truncated: result.rejected_rows_truncated === true,
  };
}

/** The keywords the filters select, as the API's CSV, saved by the browser; the row count. */
export async function exportCsv(filters: KeywordQuery): Promise<number> {
  let result;
  try {
    result = await api.GET("/api/v1/planner/keywords/export_csv/", { params: { query: filters }, parseAs: "blob" });
  } catch (cause) {
    throw networkError(cause);
  }
  if (!result.response.ok || !(result.data instanceof Blob)) throw apiErrorOf(result.response, result.error);
  const url = URL.createObjectURL(result.data);
  const link = document.createElement("a");
  link.href = url;
  link.download = "keywords.csv";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return Number(result.response.headers.get("X-Total-Rows") ?? 0);
}
