"""Gateway benchmark: requests per second and p50/p99 latency of

* ``GET /api/v1/auth/me/``        — JWT check + one database read in the gateway;
* ``GET /api/v1/billing/balance/`` — JWT check + a NATS request/reply answered by billing;

each as a ratio against ``GET /bare/`` of ``bench/gateway/bare_app.py`` (a bare FastAPI
endpoint served the same way: one uvicorn process, same options, same host, same log level),
all measured in the same run. Ratios, never timed asserts: absolute numbers depend on the
machine, the ratios much less so.

    .venv/bin/python bench/gateway/run.py [--duration 10] [--concurrency 32] [--warmup 2]
                                          [--only-bare] [--output bench/results/gateway.json]

NATS and PostgreSQL are embedded in a temporary folder unless ``NATS_URL`` / ``DATABASE_URL``
are set (then a fresh database is created on that server, and dropped afterwards). Service
logs go to ``bench/results/logs/``. Exit code 0, or 1 if the benchmark could not run, or 2 if
any measured request failed (the results are still printed and written).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import httpx
import psutil

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.gateway.loadgen import LoadResult, LoadSpec, measure  # noqa: E402
from igny8_devtools.embedded import (  # noqa: E402
    EmbeddedNats,
    EmbeddedPostgres,
    create_database,
    drop_database,
)
from igny8_devtools.testing.processes import ServiceProcess  # noqa: E402

RESULTS_DIR = REPO / "bench" / "results"
DEFAULT_OUTPUT = RESULTS_DIR / "gateway.json"
LOG_DIR = RESULTS_DIR / "logs"
LOG_LEVEL = "WARNING"
PASSWORD = "Bench-Passw0rd!x"
BARE, ME, BALANCE = "bare", "auth/me", "billing/balance"


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


class BenchError(RuntimeError):
    pass


# ---------------------------------------------------------------------------------------------
# infrastructure and processes


class Stack:
    """Everything the benchmark starts; ``close()`` stops it all, in reverse order."""

    def __init__(self) -> None:
        self._closers: list[tuple[str, Callable[[], object]]] = []

    def push(self, label: str, closer: Callable[[], object]) -> None:
        self._closers.append((label, closer))

    def close(self) -> None:
        # Stopping must not be interrupted by a second Ctrl-C half-way.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            while self._closers:
                label, closer = self._closers.pop()
                try:
                    closer()
                except Exception as exc:
                    say(f"stopping {label} failed: {exc!r}")
        finally:
            signal.signal(signal.SIGINT, previous)


def start_nats(stack: Stack, tmp: Path) -> str:
    from_env = os.environ.get("NATS_URL")
    if from_env:
        say("NATS: using NATS_URL")
        return from_env
    nats = EmbeddedNats(tmp / "nats")
    stack.push("NATS", nats.stop)
    url = nats.start()
    say(f"NATS: embedded at {url}")
    return url


def start_postgres(stack: Stack, tmp: Path) -> str:
    name = f"igny8_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    server_url = os.environ.get("DATABASE_URL")
    if server_url is None:
        # Its own world-traversable folder: as root, PostgreSQL runs as another user.
        pg_dir = Path(tempfile.mkdtemp(prefix="igny8-bench-pg-"))
        pg_dir.chmod(0o755)
        stack.push("PostgreSQL folder", lambda: shutil.rmtree(pg_dir, ignore_errors=True))
        postgres = EmbeddedPostgres(pg_dir / "pgdata")
        stack.push("PostgreSQL", postgres.stop)
        server_url = postgres.start()
        say("PostgreSQL: embedded (UNIX socket)")
    else:
        say("PostgreSQL: using DATABASE_URL")
    url = create_database(server_url, name)
    admin = server_url
    stack.push(f"database {name}", lambda: drop_database(admin, name))
    say(f"PostgreSQL: fresh database {name}")
    return url


def start_process(stack: Stack, name: str, env: dict[str, str], *, module: str | None = None,
                  ready_path: str = "/readyz", timeout: float = 90.0) -> ServiceProcess:
    proc = ServiceProcess(name, env, log_dir=LOG_DIR, module=module, args=() if module else ("serve",),
                          start=False)
    stack.push(name, proc.terminate)
    proc.start()
    proc.wait_ready(timeout, path=ready_path)
    say(f"{name}: ready at {proc.base_url} (log {proc.log_path.relative_to(REPO)})")
    return proc


def start_bare(stack: Stack) -> ServiceProcess:
    pythonpath = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = {"IGNY8_LOG_LEVEL": LOG_LEVEL, "PYTHONPATH": pythonpath}
    return start_process(stack, "bare", env, module="bench.gateway.bare_app", ready_path="/bare/")


def server_cpu_seconds(servers: list[ServiceProcess]) -> float:
    """User + system CPU seconds the processes have used so far (children excluded)."""
    total = 0.0
    for server in servers:
        assert server.pid is not None
        times = psutil.Process(server.pid).cpu_times()
        total += times.user + times.system
    return total


def migrate(database_url: str) -> None:
    from igny8_runtime.migrations import upgrade

    for service in ("gateway", "billing"):
        upgrade(service, database_url)
        say(f"migrated {service}")


# ---------------------------------------------------------------------------------------------
# the account the authenticated requests run as


def sign_up(gateway: ServiceProcess, timeout: float = 60.0) -> str:
    email = f"bench-{uuid.uuid4().hex[:12]}@example.com"
    body = {"email": email, "password": PASSWORD, "account_name": "Bench account"}
    with httpx.Client(base_url=gateway.base_url, timeout=30.0) as client:
        response = client.post("/api/v1/auth/register/", json=body)
        if response.status_code != 201:
            raise BenchError(f"register answered {response.status_code}: {response.text[:500]}")
        access: str = response.json()["data"]["access"]
        headers = {"Authorization": f"Bearer {access}"}
        me = client.get("/api/v1/auth/me/", headers=headers)
        if me.status_code != 200:
            raise BenchError(f"GET /api/v1/auth/me/ answered {me.status_code}: {me.text[:500]}")
        # Billing opens the balance when it sees the account-created event: wait for it.
        deadline = time.monotonic() + timeout
        while True:
            balance = client.get("/api/v1/billing/balance/", headers=headers)
            if balance.status_code == 200:
                break
            if time.monotonic() >= deadline:
                raise BenchError(f"GET /api/v1/billing/balance/ still answers {balance.status_code} "
                                 f"after {timeout:.0f}s: {balance.text[:500]}")
            time.sleep(0.2)
    say(f"registered {email}; balance is open")
    return access


# ---------------------------------------------------------------------------------------------
# report


def ratio(value: float, reference: float) -> float:
    if not reference or math.isnan(value) or math.isnan(reference):
        return float("nan")
    return value / reference


def rows_of(results: list[LoadResult]) -> list[dict[str, Any]]:
    bare = next((r for r in results if r.label == BARE), None)
    rows = []
    for r in results:
        rows.append({
            "endpoint": r.label,
            "url": r.url,
            "requests": r.requests,
            "errors": r.errors,
            "rps": r.rps,
            "p50_ms": r.p50_ms,
            "p99_ms": r.p99_ms,
            "rps_ratio": ratio(r.rps, bare.rps) if bare else float("nan"),
            "p50_ratio": ratio(r.p50_ms, bare.p50_ms) if bare else float("nan"),
            "p99_ratio": ratio(r.p99_ms, bare.p99_ms) if bare else float("nan"),
            # Less sensitive to other load on the machine than rps: what one request costs the
            # serving processes (NATS and PostgreSQL not included), and how busy the client was.
            "server_cpu_ms_per_request": r.server_cpu_ms_per_request,
            "client_cpu_share": r.client_cpu_share,
        })
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    header = ("endpoint", "requests", "errors", "rps", "p50 ms", "p99 ms",
              "rps vs bare", "p50 vs bare", "p99 vs bare", "server CPU ms/req", "client CPU")
    lines = [[
        row["endpoint"], f"{row['requests']}", f"{row['errors']}" + (" !!" if row["errors"] else ""),
        f"{row['rps']:.0f}",
        f"{row['p50_ms']:.2f}", f"{row['p99_ms']:.2f}",
        f"{row['rps_ratio']:.3f}", f"{row['p50_ratio']:.2f}x", f"{row['p99_ratio']:.2f}x",
        f"{row['server_cpu_ms_per_request']:.2f}", f"{100 * row['client_cpu_share']:.0f}%",
    ] for row in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]

    def fmt(cells: list[str] | tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join((first, *rest))

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *(fmt(line) for line in lines)])


def _clean(value: Any) -> Any:
    """NaN is not JSON: write null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def git_revision() -> str | None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, timeout=5, check=False)
        if done.returncode == 0:
            return done.stdout.strip()
    return None


def write_json(path: Path, args: argparse.Namespace, results: list[LoadResult]) -> None:
    document = {
        "benchmark": "gateway",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_revision": git_revision(),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "load_average_1m_before": args.load_before,
                    "load_average_1m_after": os.getloadavg()[0]},
        "settings": {"duration_s": args.duration, "warmup_s": args.warmup,
                     "concurrency": args.concurrency, "log_level": LOG_LEVEL,
                     "client": f"httpx {httpx.__version__}: one AsyncClient (one connection) per worker, "
                               "in a separate process"},
        "reference": BARE,
        "rows": rows_of(results),
        "details": [r.to_dict() for r in results],
        "errors_total": sum(r.errors for r in results),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_clean(document), indent=2) + "\n")


def error_banner(results: list[LoadResult]) -> str:
    lines = ["", "!" * 78, "!!! THIS RUN HAD ERRORS — its numbers do not measure what they claim to.", "!!!"]
    for r in results:
        if r.errors:
            lines.append(f"!!! {r.label}: {r.errors} of {r.requests} requests failed; statuses "
                         f"{r.statuses}, transport errors {r.transport_errors}")
            if r.first_error:
                lines.append(f"!!!   first: {r.first_error[:200]}")
    lines += ["!" * 78, ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/gateway/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="unrecorded seconds before each")
    parser.add_argument("--concurrency", type=int, default=32, help="workers = pooled connections")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout (s)")
    parser.add_argument("--only-bare", action="store_true",
                        help="only the reference endpoint (no NATS, PostgreSQL nor services)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results file")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.warmup < 0 or args.concurrency < 1:
        parser.error("--duration must be > 0, --warmup >= 0, --concurrency >= 1")
    return args


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(args: argparse.Namespace, stack: Stack) -> list[LoadResult]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="igny8-bench-"))
    stack.push("temporary folder", lambda: shutil.rmtree(tmp, ignore_errors=True))

    # (row, URL, headers, the processes that serve it: their CPU time is measured)
    targets: list[tuple[str, str, dict[str, str], list[ServiceProcess]]] = []
    bare = start_bare(stack)
    targets.append((BARE, bare.url("/bare/"), {}, [bare]))
    if not args.only_bare:
        nats_url = start_nats(stack, tmp)
        database_url = start_postgres(stack, tmp)
        migrate(database_url)
        jwt_dir = tmp / "jwt"
        jwt_dir.mkdir()
        env = {
            "DATABASE_URL": database_url,
            "NATS_URL": nats_url,
            "IGNY8_JWT_KEY_DIR": str(jwt_dir),
            "IGNY8_LOG_LEVEL": LOG_LEVEL,
            # The one token must outlive the whole run (token lifetime costs nothing per request).
            "IGNY8_ACCESS_TOKEN_MINUTES": "1440",
        }
        billing = start_process(stack, "billing", env)
        gateway = start_process(stack, "gateway", env)
        access = sign_up(gateway)
        auth = {"Authorization": f"Bearer {access}"}
        targets.append((ME, gateway.url("/api/v1/auth/me/"), auth, [gateway]))
        targets.append((BALANCE, gateway.url("/api/v1/billing/balance/"), auth,
                        [gateway, billing]))

    results: list[LoadResult] = []
    for label, url, headers, servers in targets:
        say(f"{label}: {args.warmup:g}s warm-up + {args.duration:g}s at concurrency {args.concurrency}")
        spec = LoadSpec(label=label, url=url, headers=headers, duration=args.duration,
                        warmup=args.warmup, concurrency=args.concurrency, timeout=args.timeout)
        cpu_before = server_cpu_seconds(servers)
        result = measure(spec)
        result.server_cpu_s = server_cpu_seconds(servers) - cpu_before
        results.append(result)
        say(f"{label}: {result.requests} requests, {result.errors} errors, {result.rps:.0f} rps")
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Other work on the machine skews every number (less so the ratios): keep a trace of it.
    args.load_before = os.getloadavg()[0]
    stack = Stack()
    try:
        with sigterm_as_interrupt():
            results = run(args, stack)
    except KeyboardInterrupt:
        say("interrupted: stopping everything")
        return 130
    except Exception as exc:
        say(f"benchmark failed: {type(exc).__name__}: {exc}")
        return 1
    finally:
        stack.close()
    write_json(args.output, args, results)
    print()
    print(f"gateway benchmark: {args.duration:g}s per endpoint after {args.warmup:g}s warm-up, "
          f"concurrency {args.concurrency}, {os.cpu_count()} CPUs, load average "
          f"{args.load_before:.2f} → {os.getloadavg()[0]:.2f}; ratios against '{BARE}' (same run)")
    print(table(rows_of(results)))
    print(f"(written to {args.output})")
    if any(r.errors for r in results):
        print(error_banner(results))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
