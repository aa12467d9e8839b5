"""Importing a keyword file: decode, parse, stage with COPY, insert once — all in the unit of
work that also records the command as processed, so an import is written whole or not at all.
Progress goes out in short transactions of its own, so the user sees it while the work runs.
Parsing runs in a worker thread, a batch ahead of the COPY of the previous one, so the event
loop stays responsive and PostgreSQL works while Python parses."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from igny8_contracts.planner import ImportKeywords, KeywordsImported
from igny8_planner.adapters.file_store import FileStore, MissingFileError
from igny8_planner.domain.csv_import import KeywordFile
from igny8_planner.domain.encoding import (
    SAMPLE_BYTES,
    DecodedText,
    UnreadableFileError,
    detect_encoding,
)
from igny8_planner.domain.import_report import ImportReport
from igny8_planner.domain.lines import LineSource
from igny8_planner.service_layer.import_batches import Batch, StagedBatches
from igny8_planner.service_layer.uow import PlannerUnitOfWork
from igny8_runtime.handling import Progress
from igny8_runtime.operations import OperationReporter

OPERATION_TYPE: Final = "planner.keywords.import"
PROGRESS_EVERY_ROWS: Final = 200_000


class ImportReporter(OperationReporter):
    def fail_with_report(self, uow: PlannerUnitOfWork, error: str,
                         report: dict[str, Any]) -> None:
        """A failure that still tells the user what was found (OperationReporter.fail cannot
        carry a result)."""
        self._emit(uow, "failed", phase=self.phase, percent=self.percent, message="Failed.",
                   result=report, error=error[:2000])


def reporter_for(command: ImportKeywords) -> ImportReporter:
    return ImportReporter(command.operation_id, command.account_id, OPERATION_TYPE,
                          site_id=command.site_id)


async def import_keywords(command: ImportKeywords, uow: PlannerUnitOfWork, files: FileStore,
                          progress: Progress) -> None:
    """Imports the uploaded object the command names, and reports the outcome."""
    reporter = reporter_for(command)
    await progress(reporter, "PREP", 2, "Reading the file")
    try:
        async with files.downloaded(command.bucket, command.object_name) as path:
            await import_file(command, path, uow, reporter, progress)
    except MissingFileError:
        reporter.fail(uow, "The uploaded file is no longer available; upload it again.")


async def import_file(command: ImportKeywords, path: Path, uow: PlannerUnitOfWork,
                      reporter: ImportReporter, progress: Progress) -> None:
    report = ImportReport(dry_run=command.dry_run)
    with path.open("rb") as binary:
        size = max(1, os.fstat(binary.fileno()).st_size)
        try:
            report.encoding = detect_encoding(binary.read(SAMPLE_BYTES))
            binary.seek(0)
            decoded = DecodedText(binary, report.encoding)
            keyword_file = KeywordFile(LineSource(decoded))
            report.format = keyword_file.layout.format
            await uow.staging.open()
            await _stage(keyword_file, report, uow, lambda: binary.tell() / size,
                         reporter, progress)
        except UnreadableFileError as exc:
            reporter.fail_with_report(uow, str(exc), report.as_result())
            return
        except UnicodeDecodeError:
            reporter.fail_with_report(
                uow, f"The file is not valid {report.encoding} text ({decoded.failure}, after "
                f"row {report.rows}); export it again as UTF-8. Nothing was imported.",
                report.as_result())
            return
    await _finish(command, report, uow, reporter)


async def _stage(keyword_file: KeywordFile, report: ImportReport, uow: PlannerUnitOfWork,
                 read_share: Callable[[], float], reporter: ImportReporter,
                 progress: Progress) -> None:
    batches = StagedBatches(keyword_file, report, read_share)
    pending: asyncio.Future[Batch | None] = asyncio.ensure_future(asyncio.to_thread(batches.next))
    reported = 0
    try:
        while (batch := await pending) is not None:
            pending = asyncio.ensure_future(asyncio.to_thread(batches.next))
            await uow.staging.add(batch.lines, batch.rows)
            if batch.rows_read // PROGRESS_EVERY_ROWS > reported:
                reported = batch.rows_read // PROGRESS_EVERY_ROWS
                await progress(reporter, "PARSE", 5 + int(75 * batch.read_share),
                               f"{batch.rows_read:,} rows read")
    finally:
        if not pending.done():  # staging failed: let the thread finish before the file closes
            with contextlib.suppress(Exception):
                await asyncio.wait([pending])
        if pending.done() and not pending.cancelled():
            pending.exception()  # retrieved, so never logged as unhandled


async def _finish(command: ImportKeywords, report: ImportReport, uow: PlannerUnitOfWork,
                  reporter: ImportReporter) -> None:
    if report.rows == 0:
        reporter.fail_with_report(uow, "The file has no keyword rows (is it only a header?).",
                                  report.as_result())
        return
    if command.all_or_nothing and report.rejected:
        reporter.fail_with_report(
            uow, f"{report.rejected} rows were rejected, so nothing was imported "
            f"(all-or-nothing): {report.rejections_text()}", report.as_result())
        return
    report.imported = await uow.staging.finish(
        account_id=command.account_id, site_id=command.site_id, sector_id=command.sector_id,
        dry_run=command.dry_run)
    report.duplicates_in_file = report.valid - uow.staging.staged
    report.duplicates_existing = uow.staging.staged - report.imported
    if not command.dry_run:
        uow.emit(KeywordsImported(operation_id=command.operation_id,
                                  account_id=command.account_id, site_id=command.site_id,
                                  sector_id=command.sector_id, imported=report.imported,
                                  duplicates=report.duplicates, rejected=report.rejected),
                 account_id=command.account_id)
    verb = "would be imported (dry run)" if command.dry_run else "imported"
    reporter.succeed(uow, report.as_result(), message=(
        f"{report.imported:,} keywords {verb}; {report.duplicates:,} duplicates; "
        f"{report.rejected:,} rows rejected."))
