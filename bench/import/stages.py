"""Keyword import, stage by stage, without the services: where the time of ``run.py`` goes.

    .venv/bin/python bench/import/stages.py [--rows 1000000]

Starts NATS and PostgreSQL like ``run.py`` and times, on the same generated file:

* ``put``: the file into the ``uploads`` object store bucket (what the gateway does);
* ``get``: the object back into a temporary file (what the planner does first);
* ``parse``: decode + parse + validate + normalise every row (no database);
* ``import``: the planner's whole ``import_file`` in one transaction (parse, COPY into the
  staging table, insert into ``planner.keywords``), then commit;
* ``insert``: of that, the final ``INSERT … SELECT … ON CONFLICT`` alone (timed by a wrapper);
* ``copy``: raw ``COPY`` of the file into a plain table, the reference.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import nats
import psycopg

REPO = Path(__file__).resolve().parents[2]
for folder in (REPO, Path(__file__).resolve().parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from run import generate  # noqa: E402  (bench/import/run.py: `import` is no package name)

from bench.gateway.run import Stack, say, start_nats, start_postgres  # noqa: E402
from igny8_contracts.planner import ImportKeywords  # noqa: E402
from igny8_planner.adapters import import_staging  # noqa: E402
from igny8_planner.adapters.file_store import FileStore, bucket  # noqa: E402
from igny8_planner.adapters.orm import inbox, outbox  # noqa: E402
from igny8_planner.domain.csv_import import KeywordFile  # noqa: E402
from igny8_planner.domain.encoding import SAMPLE_BYTES, DecodedText, detect_encoding  # noqa: E402
from igny8_planner.domain.import_report import ImportReport  # noqa: E402
from igny8_planner.domain.lines import LineSource  # noqa: E402
from igny8_planner.service_layer import importing  # noqa: E402
from igny8_planner.service_layer.import_batches import StagedBatches  # noqa: E402
from igny8_planner.service_layer.uow import PlannerUnitOfWork  # noqa: E402
from igny8_runtime.db import Database, libpq_url  # noqa: E402
from igny8_runtime.migrations import upgrade  # noqa: E402
from igny8_runtime.operations import OperationReporter  # noqa: E402


def timed(label: str, started: float, rows: int) -> float:
    seconds = time.perf_counter() - started
    say(f"{label:>8}: {seconds:6.2f}s = {rows / seconds:>12,.0f} rows/s")
    return seconds


def parse_only(path: Path) -> int:
    """What the import's worker thread does: decode, parse, dedupe, format COPY text."""
    with path.open("rb") as binary:
        encoding = detect_encoding(binary.read(SAMPLE_BYTES))
        binary.seek(0)
        keyword_file = KeywordFile(LineSource(DecodedText(binary, encoding)))
        batches = StagedBatches(keyword_file, ImportReport(dry_run=True), lambda: 0.0)
        rows = 0
        while (batch := batches.next()) is not None:
            rows += batch.rows
        return rows


def copy_reference(database_url: str, path: Path) -> None:
    with psycopg.connect(libpq_url(database_url)) as conn:
        conn.execute("CREATE TEMPORARY TABLE bench_copy (keyword text, volume text, kd text, "
                     "cpc text)")
        with conn.cursor() as cur, cur.copy(
                "COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)") as copy, \
                path.open("rb") as f:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        conn.commit()


async def no_progress(reporter: OperationReporter, phase: str, percent: int, message: str) -> None:
    return None


async def measure(nats_url: str, database_url: str, path: Path, rows: int) -> None:
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    store = await bucket(js, "uploads")
    name = f"bench/{uuid.uuid4()}"
    started = time.perf_counter()
    with path.open("rb") as source:
        await store.put(name, source)  # type: ignore[arg-type]
    timed("put", started, rows)
    started = time.perf_counter()
    async with FileStore(js).downloaded("uploads", name) as downloaded:
        timed("get", started, rows)
        started = time.perf_counter()
        await asyncio.to_thread(parse_only, downloaded)
        timed("parse", started, rows)
        await run_import(database_url, downloaded, rows)
    await nc.close()
    started = time.perf_counter()
    copy_reference(database_url, path)
    timed("copy", started, rows)


async def run_import(database_url: str, path: Path, rows: int) -> None:
    db = Database.connect(database_url, "planner")
    insert_seconds: list[float] = []
    original_finish = import_staging.ImportStaging.finish

    async def finish(self: import_staging.ImportStaging, **kwargs: Any) -> Any:
        started = time.perf_counter()
        outcome = await original_finish(self, **kwargs)
        insert_seconds.append(time.perf_counter() - started)
        return outcome

    import_staging.ImportStaging.finish = finish  # type: ignore[method-assign]
    command = ImportKeywords(operation_id=uuid.uuid4(), account_id=uuid.uuid4(),
                             site_id=uuid.uuid4(), sector_id=uuid.uuid4(), bucket="uploads",
                             object_name="bench")
    try:
        started = time.perf_counter()
        async with PlannerUnitOfWork(db, outbox, inbox, "planner") as uow:
            await importing.import_file(command, path, uow, importing.reporter_for(command),
                                        no_progress)
            await uow.commit()
        total = timed("import", started, rows)
        say(f"  insert: {insert_seconds[0]:6.2f}s of it; parse + staging "
            f"{total - insert_seconds[0]:.2f}s")
    finally:
        import_staging.ImportStaging.finish = original_finish  # type: ignore[method-assign]
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    stack = Stack()
    try:
        tmp = Path(tempfile.mkdtemp(prefix="igny8-bench-stages-"))
        path = tmp / "keywords.csv"
        generate(path, args.rows)
        nats_url, database_url = start_nats(stack, tmp), start_postgres(stack, tmp)
        upgrade("planner", database_url)
        asyncio.run(measure(nats_url, database_url, path, args.rows))
        return 0
    finally:
        stack.close()


if __name__ == "__main__":
    raise SystemExit(main())
