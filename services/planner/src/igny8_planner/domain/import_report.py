"""What an import reports: counts, and the rejected rows (the first few, with the count)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from igny8_planner.domain.csv_import import RejectedRow

MAX_LISTED_REJECTIONS: Final = 50


@dataclass
class ImportReport:
    dry_run: bool
    format: str = ""
    encoding: str = ""
    rows: int = 0
    valid: int = 0
    imported: int = 0
    duplicates_in_file: int = 0
    duplicates_existing: int = 0
    rejected: int = 0
    rejected_rows: list[RejectedRow] = field(default_factory=list)

    def reject(self, row: RejectedRow) -> None:
        self.rows += 1
        self.rejected += 1
        if len(self.rejected_rows) < MAX_LISTED_REJECTIONS:
            self.rejected_rows.append(row)

    def accept(self, count: int = 1) -> None:
        self.rows += count
        self.valid += count

    @property
    def duplicates(self) -> int:
        return self.duplicates_in_file + self.duplicates_existing

    def rejections_text(self, limit: int = 5) -> str:
        shown = "; ".join(f"line {r.line}: {r.reason}" for r in self.rejected_rows[:limit])
        more = self.rejected - min(limit, len(self.rejected_rows))
        return shown + (f"; and {more} more" if more > 0 else "")

    def as_result(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run, "format": self.format, "encoding": self.encoding,
            "rows": self.rows, "imported": self.imported, "duplicates": self.duplicates,
            "duplicates_in_file": self.duplicates_in_file,
            "duplicates_existing": self.duplicates_existing, "rejected": self.rejected,
            "rejected_rows": [{"line": r.line, "reason": r.reason[:200]}
                              for r in self.rejected_rows],
            "rejected_rows_truncated": self.rejected > len(self.rejected_rows),
        }
