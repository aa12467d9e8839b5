"""Closed-loop HTTP load generator, run in its own process (``measure``) so the client never
shares an event loop — or a GIL — with the servers or with the benchmark's supervisor.

``concurrency`` workers, each with its own ``httpx.AsyncClient`` holding exactly one
keep-alive connection (a fixed pool of ``concurrency`` connections in all); each worker sends
``GET url``, waits for the whole response, and sends the next. One client per worker rather than
one shared pool: httpx's shared pool costs so much CPU under concurrency (encode/httpx#3215)
that at 32 workers the client, not the server, set the pace — measured here, a shared pool gave
~3.5x fewer requests per second against the bare endpoint than per-worker clients.

Requests *started* during the ``warmup`` seconds are not recorded; recorded are those started
in the following ``duration`` seconds. Latency is ``time.perf_counter()`` around the request;
anything but 2xx, and any transport error, is an error (and still timed).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import multiprocessing
import signal
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import httpx


@dataclass(frozen=True)
class LoadSpec:
    label: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    duration: float = 10.0
    warmup: float = 2.0
    concurrency: int = 32
    timeout: float = 10.0


@dataclass
class LoadResult:
    label: str
    url: str
    concurrency: int
    duration: float
    requests: int
    ok: int
    errors: int
    statuses: dict[str, int]
    transport_errors: dict[str, int]
    first_error: str | None
    elapsed: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    # Every request answered, warm-up included, and the load generator's own CPU and wall
    # seconds over the same time: to tell server CPU per request and how busy the client was.
    answered_total: int = 0
    client_cpu_s: float = 0.0
    client_wall_s: float = 0.0
    # Filled in by run.py: CPU seconds the serving processes used over the same time.
    server_cpu_s: float = float("nan")

    @property
    def server_cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_s / self.answered_total if self.answered_total else math.nan

    @property
    def client_cpu_share(self) -> float:
        return self.client_cpu_s / self.client_wall_s if self.client_wall_s else math.nan

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class LoadGeneratorError(RuntimeError):
    pass


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of an ascending list; NaN when empty."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * q // 100))  # ceil(n * q / 100), at least 1
    return sorted_values[min(len(sorted_values), int(rank)) - 1]


async def _load(spec: LoadSpec) -> LoadResult:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    transport: Counter[str] = Counter()
    first_error: list[str] = []
    ok = 0
    answered_total = 0
    last_done = 0.0
    cpu_started, wall_started = time.process_time(), time.perf_counter()

    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(limits=limits, timeout=spec.timeout, headers=spec.headers))
            for _ in range(spec.concurrency)
        ]
        started = time.perf_counter()
        measure_from = started + spec.warmup
        stop_at = measure_from + spec.duration

        async def worker(client: httpx.AsyncClient) -> None:
            nonlocal ok, answered_total, last_done
            while True:
                t0 = time.perf_counter()
                if t0 >= stop_at:
                    return
                status: int | None = None
                error: str | None = None
                try:
                    response = await client.get(spec.url)
                    status = response.status_code
                    if not 200 <= status < 300:
                        error = f"HTTP {status}: {response.text[:300]}"
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                t1 = time.perf_counter()
                answered_total += 1
                if t0 < measure_from:
                    continue
                latencies.append(t1 - t0)
                last_done = max(last_done, t1)
                if status is not None:
                    statuses[str(status)] += 1
                if error is None:
                    ok += 1
                else:
                    if status is None:
                        transport[error.split(":", 1)[0]] += 1
                    if not first_error:
                        first_error.append(error)

        await asyncio.gather(*(worker(client) for client in clients))

    latencies.sort()
    requests = len(latencies)
    elapsed = max(last_done - measure_from, spec.duration) if requests else spec.duration
    ms = [v * 1000.0 for v in latencies]
    return LoadResult(
        label=spec.label,
        url=spec.url,
        concurrency=spec.concurrency,
        duration=spec.duration,
        requests=requests,
        ok=ok,
        errors=requests - ok,
        statuses=dict(sorted(statuses.items())),
        transport_errors=dict(transport),
        first_error=first_error[0] if first_error else None,
        elapsed=elapsed,
        rps=requests / elapsed if elapsed > 0 else 0.0,
        p50_ms=percentile(ms, 50),
        p90_ms=percentile(ms, 90),
        p99_ms=percentile(ms, 99),
        mean_ms=sum(ms) / requests if requests else float("nan"),
        max_ms=ms[-1] if ms else float("nan"),
        answered_total=answered_total,
        client_cpu_s=time.process_time() - cpu_started,
        client_wall_s=time.perf_counter() - wall_started,
    )


def _child(spec: LoadSpec, conn: Connection) -> None:
    # Ctrl-C reaches the whole process group: the supervisor decides, and terminates us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result = asyncio.run(_load(spec))
        conn.send(("ok", result))
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def measure(spec: LoadSpec) -> LoadResult:
    """Run ``spec`` in a fresh (spawned) process and return what it measured."""
    ctx = multiprocessing.get_context("spawn")
    parent_end, child_end = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(spec, child_end), name=f"loadgen-{spec.label}",
                       daemon=True)
    proc.start()
    child_end.close()
    try:
        try:
            kind, payload = parent_end.recv()
        except EOFError as exc:
            proc.join(5)
            raise LoadGeneratorError(
                f"load generator for {spec.label} died (exit code {proc.exitcode})"
            ) from exc
        proc.join(30)
        if kind != "ok":
            raise LoadGeneratorError(f"load generator for {spec.label} failed: {payload}")
        assert isinstance(payload, LoadResult)
        return payload
    finally:
        parent_end.close()
        if proc.is_alive():
            proc.terminate()
            proc.join(5)
        if proc.is_alive():
            with contextlib.suppress(Exception):
                proc.kill()
            proc.join(5)
