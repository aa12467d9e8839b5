"""A keyword file as batches of COPY text: each row parsed (the quick path when it applies),
rejected rows and counts recorded in the report, repeats of a normalized keyword dropped (the
first one stays). Runs in a worker thread, so it shares nothing with the event loop but the
report, which the loop reads only between batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from igny8_planner.adapters.import_staging import copy_line
from igny8_planner.domain.csv_import import KeywordFile, RejectedRow, parse_row
from igny8_planner.domain.import_report import ImportReport
from igny8_planner.domain.staged_rows import quick_row, staged

BATCH_ROWS: Final = 20_000


@dataclass(frozen=True)
class Batch:
    lines: bytes
    rows: int
    rows_read: int
    read_share: float


class StagedBatches:
    def __init__(self, keyword_file: KeywordFile, report: ImportReport,
                 read_share: Callable[[], float], batch_rows: int = BATCH_ROWS) -> None:
        self._layout = keyword_file.layout
        self._cells: Iterator[tuple[int, list[str]] | RejectedRow] = keyword_file.cells()
        self._report = report
        self._read_share = read_share
        self._batch_rows = batch_rows
        self.seen: set[str] = set()

    def next(self) -> Batch | None:
        """The next batch of distinct new rows; None at the end of the file."""
        layout, report, seen = self._layout, self._report, self.seen
        lines: list[str] = []
        accepted = 0
        try:
            for item in self._cells:
                if isinstance(item, RejectedRow):
                    report.reject(item)
                    continue
                row = quick_row(item[1], layout)
                if row is None:
                    parsed = parse_row(item[0], item[1], layout)
                    if isinstance(parsed, RejectedRow):
                        report.reject(parsed)
                        continue
                    row = staged(parsed)
                accepted += 1
                if row[1] in seen:
                    continue
                seen.add(row[1])
                lines.append(copy_line(row))
                if len(lines) >= self._batch_rows:
                    break
        finally:
            report.accept(accepted)
        if not lines:
            return None
        return Batch("".join(lines).encode(), len(lines), report.rows, self._read_share())
