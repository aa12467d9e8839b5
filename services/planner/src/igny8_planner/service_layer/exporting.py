"""Exporting keywords as CSV: written row by row to a temporary file, then put in the object
store for the gateway to stream out. Cells that a spreadsheet would run as formulas are
neutralised."""

from __future__ import annotations

import csv
import tempfile
import uuid
from pathlib import Path
from typing import Final

from igny8_contracts.planner import ExportedKeywords, ExportKeywords
from igny8_planner.adapters.file_store import EXPORTS, FileStore
from igny8_planner.domain.keywords import neutralize_cell
from igny8_planner.service_layer.uow import PlannerUnitOfWork

COLUMNS: Final = ("keyword", "volume", "difficulty", "cpc", "intent", "status", "cluster_id",
                  "site_id", "sector_id", "created_at")


def _cell(value: object) -> str:
    return "" if value is None else neutralize_cell(str(value))


async def export_keywords(request: ExportKeywords, uow: PlannerUnitOfWork,
                          files: FileStore) -> ExportedKeywords:
    object_name = f"{request.account_id}/{uuid.uuid4()}.csv"
    with tempfile.TemporaryDirectory(prefix="igny8-export-") as folder:
        path = Path(folder) / "keywords.csv"
        rows = 0
        with path.open("w", encoding="utf-8", newline="") as target:
            writer = csv.writer(target)
            writer.writerow(COLUMNS)
            async for row in uow.keywords.stream(request.account_id, request.filters,
                                                 request.ordering):
                writer.writerow([_cell(row[name]) for name in COLUMNS])
                rows += 1
        await files.upload(EXPORTS, object_name, path)
    return ExportedKeywords(bucket=EXPORTS, object_name=object_name, rows=rows)
