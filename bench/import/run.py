"""Keyword import benchmark: a generated CSV of ``--rows`` keywords (default 1,000,000)

    .venv/bin/python bench/import/run.py [--rows 1000000] [--output bench/results/import.json]

Rows, measured in the same run on the same PostgreSQL:

* ``copy``: raw ``COPY … FROM STDIN (FORMAT csv)`` of the file into a plain table (no indexes,
  no parsing beyond COPY's own) — the reference;
* ``gateway import``: ``POST /api/v1/planner/keywords/import_csv/`` (streamed multipart) until
  the operation succeeded and ``GET /api/v1/planner/keywords/?sector_id=…`` counts every row.

Prints rows/s of each and the ratio import/copy. The gateway runs with a body limit large
enough for the file (``IGNY8_MAX_BODY_BYTES``) and the planner with an ack wait longer than
the import (``IGNY8_CONSUMER_ACK_WAIT_SECONDS``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.gateway.run import (  # noqa: E402
    LOG_LEVEL,
    PASSWORD,
    Stack,
    say,
    start_nats,
    start_postgres,
    start_process,
)
from igny8_runtime.db import libpq_url  # noqa: E402
from igny8_runtime.migrations import upgrade  # noqa: E402

DEFAULT_OUTPUT = REPO / "bench" / "results" / "import.json"
HEADER = "Keyword,Volume,Keyword Difficulty,CPC (USD)\n"


def generate(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            out.write(f"keyword number {i} for bench,\"{(i * 7919) % 100000:,}\",{i % 101},"
                      f"{(i % 500) / 100:.2f}\n")


def time_copy(database_url: str, path: Path) -> float:
    with psycopg.connect(libpq_url(database_url)) as conn:
        conn.execute("CREATE TABLE bench_copy (keyword text, volume text, kd text, cpc text)")
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy(
                "COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)") as copy, path.open("rb") as f:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_copy")
        conn.commit()
    return elapsed


def time_import(base_url: str, path: Path, rows: int) -> dict[str, float]:
    """Seconds until every keyword is queryable (``seconds``), and of them until the upload's
    202 (``upload_seconds``) and until the operation succeeded (``operation_seconds``)."""
    with httpx.Client(base_url=base_url, timeout=600.0) as client:
        email = f"bench-{os.getpid()}-{time.time_ns()}@example.com"
        data = client.post("/api/v1/auth/register/", json={
            "email": email, "password": PASSWORD, "account_name": "Bench"}).json()["data"]
        headers = {"Authorization": f"Bearer {data['access']}"}
        site = client.post("/api/v1/auth/sites/", headers=headers,
                           json={"name": "Bench", "domain": "bench.example.com"}).json()["data"]
        sector = client.post("/api/v1/auth/sectors/", headers=headers,
                             json={"site_id": site["id"], "name": "Bench"}).json()["data"]
        started = time.perf_counter()
        with path.open("rb") as f:
            response = client.post("/api/v1/planner/keywords/import_csv/", headers=headers,
                                   data={"site_id": site["id"], "sector_id": sector["id"]},
                                   files={"file": ("bench.csv", f, "text/csv")})
        uploaded = time.perf_counter() - started
        if response.status_code != 202:
            raise RuntimeError(f"import answered {response.status_code}: {response.text[:500]}")
        operation = response.json()["data"]["operation_id"]
        while True:
            state = client.get(f"/api/v1/operations/{operation}/", headers=headers).json()["data"]
            if state["is_final"]:
                break
            time.sleep(0.2)
        finished = time.perf_counter() - started
        if state["state"] != "succeeded":
            raise RuntimeError(f"import {state['state']}: {state['error']}")
        listing = client.get("/api/v1/planner/keywords/", headers=headers,
                             params={"sector_id": sector["id"], "page_size": 1}).json()
        elapsed = time.perf_counter() - started
        if listing["count"] != rows:
            raise RuntimeError(f"{listing['count']} keywords queryable, expected {rows}")
        return {"seconds": elapsed, "upload_seconds": uploaded, "operation_seconds": finished}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    stack = Stack()
    try:
        tmp = Path(tempfile.mkdtemp(prefix="igny8-bench-import-"))
        csv_path = tmp / "keywords.csv"
        generate(csv_path, args.rows)
        say(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.1f} MB)")
        nats_url, database_url = start_nats(stack, tmp), start_postgres(stack, tmp)
        for service in ("gateway", "billing", "planner"):
            upgrade(service, database_url)
        env = {"DATABASE_URL": database_url, "NATS_URL": nats_url, "IGNY8_LOG_LEVEL": LOG_LEVEL,
               "IGNY8_JWT_KEY_DIR": str(tmp / "jwt"),
               "IGNY8_MAX_BODY_BYTES": str(csv_path.stat().st_size * 2 + 1_000_000),
               "IGNY8_CONSUMER_ACK_WAIT_SECONDS": "1800", "IGNY8_RPC_TIMEOUT_SECONDS": "30"}
        gateway = start_process(stack, "gateway", env)
        start_process(stack, "billing", env)
        start_process(stack, "planner", env)
        copy_seconds = time_copy(database_url, csv_path)
        say(f"COPY: {copy_seconds:.2f}s = {args.rows / copy_seconds:,.0f} rows/s")
        timings = time_import(gateway.base_url, csv_path, args.rows)
        import_seconds = timings["seconds"]
        say(f"import: {import_seconds:.2f}s = {args.rows / import_seconds:,.0f} rows/s "
            f"(202 after {timings['upload_seconds']:.2f}s, operation succeeded after "
            f"{timings['operation_seconds']:.2f}s)")
        ratio = copy_seconds / import_seconds
        say(f"import rate / COPY rate = {ratio:.3f} (target >= 0.5)")
        result: dict[str, Any] = {
            "when": datetime.now(UTC).isoformat(), "rows": args.rows,
            "copy": {"seconds": copy_seconds, "rows_per_second": args.rows / copy_seconds},
            "import": {**timings, "rows_per_second": args.rows / import_seconds},
            "ratio_import_to_copy": ratio}
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(result, indent=2) + "\n")
        return 0
    finally:
        stack.close()


if __name__ == "__main__":
    raise SystemExit(main())
