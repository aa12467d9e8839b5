"""AI engine benchmark: N calls through ``AIEngine`` against the fake OpenAI server.

    .venv/bin/python bench/ai/run.py [--calls 1000] [--latency 0.5] [--concurrency 50]
                                     [--output bench/results/ai.json]

The fake server runs in its own process (``python -m igny8_ai.fake_server``) answering every
chat completion after ``--latency`` seconds. Rows, each run the same way:

* ``engine``: ``--calls`` concurrent ``AutoCluster`` runs through ``AIEngine`` (prompt, limiter,
  retries, pydantic validation, save) with the provider's concurrency limit ``--concurrency``;
* ``raw client``: the same number of bare ``openai`` chat calls under an ``asyncio.Semaphore``
  of the same size — the reference for what the engine itself adds.

Each row's wall time is printed as a ratio against the ideal ``calls * latency / concurrency``,
with the most requests the server saw in flight at once (it must never exceed the limit).
Exit code 0, 1 if the benchmark could not run, 2 if any call failed or the limit was exceeded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import openai

from igny8_ai import AIContext, AIEngine, AutoCluster, ClusterRequest
from igny8_ai.providers import OpenAICompatibleProvider
from igny8_ai.schemas import ClusteringAnswer
from igny8_ai.testing import RecordingSave, fake_provider_config

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO / "bench" / "results" / "ai.json"
KEYWORDS = ["running shoes", "trail running shoes", "yoga mat", "cheap yoga mat"]
REPLY = {"clusters": [
    {"name": "Running shoes", "description": "Shoes", "keywords": ["running shoes", "trail running shoes"]},
    {"name": "Yoga mats", "description": "Mats", "keywords": ["yoga mat", "cheap yoga mat"]},
]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_fake(latency: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "igny8_ai.fake_server", "--port", str(port), "--latency", str(latency)],
        stdout=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{root}/_fake/stats", timeout=1).raise_for_status()
            return process, root
        except httpx.HTTPError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("the fake OpenAI server did not start")


async def engine_row(root: str, calls: int, concurrency: int) -> dict[str, Any]:
    config = fake_provider_config(f"{root}/v1", timeout=30, max_concurrency=concurrency,
                                  requests_per_minute=10_000_000)
    provider = OpenAICompatibleProvider(config)
    engine = AIEngine()
    save: RecordingSave[ClusteringAnswer] = RecordingSave()
    request = ClusterRequest(keywords=KEYWORDS)

    async def one(index: int) -> bool:
        context = AIContext(account_id="bench", provider=provider)
        try:
            await engine.run(AutoCluster(save=save), request, context)
        except Exception as exc:
            print(f"call {index} failed: {exc}", file=sys.stderr)
            return False
        return True

    try:
        return await measure(root, calls, one)
    finally:
        await provider.aclose()


async def raw_row(root: str, calls: int, concurrency: int) -> dict[str, Any]:
    client = openai.AsyncOpenAI(base_url=f"{root}/v1", api_key="bench", max_retries=0, timeout=30)
    semaphore = asyncio.Semaphore(concurrency)

    async def one(index: int) -> bool:
        async with semaphore:
            try:
                answer = await client.chat.completions.create(
                    model="gpt-4o-mini", response_format={"type": "json_object"},
                    messages=[{"role": "user", "content": f"Cluster {json.dumps(KEYWORDS)}"}],
                )
            except Exception as exc:
                print(f"call {index} failed: {exc}", file=sys.stderr)
                return False
            return bool(answer.choices[0].message.content)

    try:
        return await measure(root, calls, one)
    finally:
        await client.close()


async def measure(root: str, calls: int, one: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=root) as control:
        await control.post("/_fake/reset")
        await control.post("/_fake/replies", json={"replies": [json.dumps(REPLY)] * calls})
        started = time.perf_counter()
        outcomes = await asyncio.gather(*(one(index) for index in range(calls)))
        wall = time.perf_counter() - started
        stats = (await control.get("/_fake/stats")).json()
    return {"wall_seconds": wall, "succeeded": sum(outcomes), "failed": calls - sum(outcomes),
            "server_requests": stats["requests"], "max_in_flight": stats["max_in_flight"],
            "by_status": stats["by_status"]}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    process, root = start_fake(args.latency)
    try:
        ideal = args.calls * args.latency / args.concurrency
        await engine_row(root, min(args.calls, 2 * args.concurrency), args.concurrency)  # warm-up
        rows = {
            "engine": await engine_row(root, args.calls, args.concurrency),
            "raw client": await raw_row(root, args.calls, args.concurrency),
        }
    finally:
        process.terminate()
        process.wait(timeout=10)
    for row in rows.values():
        row["ratio_to_ideal"] = row["wall_seconds"] / ideal
    return {"calls": args.calls, "latency_seconds": args.latency, "concurrency": args.concurrency,
            "ideal_seconds": ideal, "rows": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    load_before = os.getloadavg()
    try:
        result = asyncio.run(run(args))
    except Exception as exc:
        print(f"benchmark could not run: {exc}", file=sys.stderr)
        return 1
    result.update(machine=platform.platform(), cpus=os.cpu_count(), load_before=load_before,
                  load_after=os.getloadavg(), finished_at=datetime.now(UTC).isoformat())
    print(f"{result['calls']} calls, latency {args.latency}s, concurrency limit {args.concurrency}: "
          f"ideal {result['ideal_seconds']:.2f}s (calls * latency / concurrency)")
    print(f"{'row':<12}{'wall s':>9}{'ratio':>8}{'max in flight':>15}{'ok':>7}{'failed':>8}")
    problems = False
    for name, row in result["rows"].items():
        print(f"{name:<12}{row['wall_seconds']:>9.2f}{row['ratio_to_ideal']:>8.3f}"
              f"{row['max_in_flight']:>15}{row['succeeded']:>7}{row['failed']:>8}")
        problems |= row["failed"] > 0 or row["max_in_flight"] > args.concurrency
    print(f"load average before {load_before[0]:.2f}, after {result['load_after'][0]:.2f}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2))
    print(f"written to {args.output}")
    if problems:
        print("!!! some calls failed or the concurrency limit was exceeded !!!", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
