"""Pipeline benchmark: N writer tasks through article generation, then image generation, with
every AI call answered by the fake OpenAI server after ``--latency`` seconds and the writer's
provider limited to ``--concurrency`` calls at once.

    .venv/bin/python bench/pipeline/run.py [--tasks 200] [--latency 1.0] [--concurrency 20]
                                           [--in-article 2] [--batch 50]
                                           [--output bench/results/pipeline.json]

Everything real except the model: embedded NATS and PostgreSQL (unless ``NATS_URL`` /
``DATABASE_URL`` are set), gateway, billing and writer as ``python -m igny8_<name> serve``
processes, the real ``openai`` client inside the writer, the fake server in this process. The
tasks are created through the gateway; ``tasks/generate_content/`` then
``tasks/generate_images/`` run as operations of ``--batch`` tasks (all sent at once) and the
run waits for every one to finish. Per phase and in total it prints the wall time as a ratio
against the ideal ``calls * latency / concurrency`` (calls counted by the fake server), the
most calls the server saw in flight, and the writer process's peak resident memory (VmHWM).
Exit code 0, 1 if the benchmark could not run, 2 if any task failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

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
from igny8_ai.fake_server import FakeOpenAI  # noqa: E402
from igny8_runtime.db import sqlalchemy_url  # noqa: E402
from igny8_runtime.migrations import upgrade  # noqa: E402

DEFAULT_OUTPUT = REPO / "bench" / "results" / "pipeline.json"
IMAGE_PROMPT_MARK = "You write prompts for an image generator"


# ---------------------------------------------------------------------------------------------
# what the fake model answers


def article(prompt: str) -> str:
    keyword = re.search(r"Primary keyword: (.*)\n", prompt).group(1).strip()  # type: ignore[union-attr]
    idea = json.loads(re.search(r"\): (\{.*\})\n", prompt).group(1))  # type: ignore[union-attr]
    title = f"{keyword}: {idea['title']}"
    body = " ".join(f"Sentence {n} explains one more detail about {keyword}." for n in range(12))
    sections = "".join(f"<h2>{keyword} part {n}</h2><p>{body}</p><h3>In short</h3><p>{body}</p>"
                       for n in range(1, 5))
    return json.dumps({"title": title, "slug": "", "html": f"<p>All about {keyword}.</p>{sections}",
                       "excerpt": f"About {keyword}.", "meta_title": title,
                       "meta_description": f"Everything about {keyword}.",
                       "categories": ["Guides"], "tags": [keyword], "language": "en"})


def image_prompts(prompt: str) -> str:
    count = int(re.search(r"and (\d+) in-article images", prompt).group(1))  # type: ignore[union-attr]
    headings = json.loads(re.search(r"Section headings \(JSON array, in order\): (\[.*?\])\n",
                                    prompt).group(1))  # type: ignore[union-attr]
    return json.dumps({
        "featured": {"prompt": "A wide photograph of the topic", "alt_text": "Header photo",
                     "caption": "Header"},
        "in_article": [{"prompt": f"A photograph illustrating {h}", "alt_text": f"Photo of {h}",
                        "caption": h, "after_heading": h} for h in (headings * count)[:count]]})


def responder(body: Mapping[str, Any]) -> str:
    prompt = str(body["messages"][-1]["content"])
    return image_prompts(prompt) if IMAGE_PROMPT_MARK in prompt else article(prompt)


# ---------------------------------------------------------------------------------------------
# driving the gateway


class Api:
    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=120.0)
        self.headers: dict[str, str] = {}

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.client.request(method, path, headers=self.headers, **kwargs)
        if response.status_code != status:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: "
                               f"{response.text[:500]}")
        return response.json()["data"]

    def operation(self, operation_id: str, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = self.ok("GET", f"/api/v1/operations/{operation_id}/")
            if data["is_final"]:
                return data
            time.sleep(0.25)
        raise RuntimeError(f"operation {operation_id} not finished after {timeout:.0f}s")


def set_up_account(api: Api, database_url: str) -> tuple[str, str]:
    """A developer account with enough credits, a site and a sector; (site, sector) ids."""
    email = f"bench-{uuid.uuid4().hex[:12]}@example.com"
    data = api.ok("POST", "/api/v1/auth/register/", 201,
                  json={"email": email, "password": PASSWORD, "account_name": "Pipeline bench"})
    engine = create_engine(sqlalchemy_url(database_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE gateway.users SET role = 'developer' WHERE id = :id"),
                     {"id": uuid.UUID(data["user"]["id"])})
    engine.dispose()
    api.headers = {"Authorization": "Bearer " + api.ok(
        "POST", "/api/v1/auth/login/", json={"email": email, "password": PASSWORD})["access"]}
    deadline = time.monotonic() + 60
    while api.client.get("/api/v1/billing/balance/", headers=api.headers).status_code != 200:
        if time.monotonic() > deadline:
            raise RuntimeError("billing never opened the account's balance")
        time.sleep(0.2)
    api.ok("POST", "/api/v1/billing/credits/adjust/", 201,
           json={"amount": 1_000_000, "reason": "pipeline benchmark"})
    site = api.ok("POST", "/api/v1/auth/sites/", 201, json={"name": "Bench", "domain": None})
    sector = api.ok("POST", "/api/v1/auth/sectors/", 201,
                    json={"site_id": site["id"], "name": "Bench sector"})
    return site["id"], sector["id"]


def run_phase(api: Api, fake: FakeOpenAI, path: str, task_ids: list[str],
              body: dict[str, Any], timeout: float, batch: int) -> dict[str, Any]:
    """All batches of one phase sent at once, waited for; timings, calls and failures."""
    fake.state.reset()
    started = time.perf_counter()
    operations = [api.ok("POST", path, 202, json={"task_ids": task_ids[i:i + batch], **body})
                  ["operation_id"] for i in range(0, len(task_ids), batch)]
    finals = [api.operation(o, timeout) for o in operations]
    wall = time.perf_counter() - started
    failed: list[Any] = []
    for op in finals:
        result = op.get("result") or {}
        # generate_content lists them under "failures", generate_images under "failed".
        listed = result.get("failures", result.get("failed", []))
        failed += listed if isinstance(listed, list) else []
    failed += [{"operation": op["id"], "error": op.get("error")} for op in finals
               if op["state"] != "succeeded"]
    return {"wall_seconds": wall, "chat_calls": len(fake.state.records("/chat/completions")),
            "image_calls": len(fake.state.records("/images/generations")),
            "max_in_flight": fake.state.max_in_flight, "failed": failed}


def peak_rss_mib(pid: int | None) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    kib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
    return kib / 1024


def run(args: argparse.Namespace, stack: Stack) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="igny8-bench-pipeline-"))
    stack.push("temporary folder", lambda: shutil.rmtree(tmp, ignore_errors=True))
    fake = FakeOpenAI(latency=args.latency)
    fake.responder = responder
    fake.start()
    stack.push("fake OpenAI server", fake.stop)
    nats_url = start_nats(stack, tmp)
    database_url = start_postgres(stack, tmp)
    for service in ("gateway", "billing", "writer"):
        upgrade(service, database_url)
    (tmp / "jwt").mkdir()
    limits = {"max_concurrency": args.concurrency, "requests_per_minute": 10_000_000,
              "tokens_per_minute": 1_000_000_000}
    provider = {"kind": "openai_compatible", "name": "fake", "base_url": fake.base_url,
                "api_key": "bench", "timeout_seconds": 120, "limits": limits}
    env = {"DATABASE_URL": database_url, "NATS_URL": nats_url, "IGNY8_LOG_LEVEL": LOG_LEVEL,
           "IGNY8_JWT_KEY_DIR": str(tmp / "jwt"), "IGNY8_MEDIA_DIR": str(tmp / "media"),
           "IGNY8_ACCESS_TOKEN_MINUTES": "1440", "IGNY8_SECRETS_KEY_FILE": str(tmp / "secrets.key"),
           # Chat and image calls share one limiter: same provider name, same limits.
           "IGNY8_WRITER_AI_PROVIDER": json.dumps({**provider, "model": "gpt-4o-mini"}),
           "IGNY8_WRITER_IMAGE_PROVIDER": json.dumps({**provider, "model": "dall-e-3"}),
           "IGNY8_WRITER_GENERATION_CONCURRENCY": str(args.concurrency),
           "IGNY8_WRITER_IMAGE_CONCURRENCY": str(args.concurrency)}
    start_process(stack, "billing", env)
    writer = start_process(stack, "writer", env)
    gateway = start_process(stack, "gateway", env)
    api = Api(gateway.base_url)
    stack.push("HTTP client", api.client.close)
    site_id, sector_id = set_up_account(api, database_url)
    task_ids = [api.ok("POST", "/api/v1/writer/tasks/", 201, json={
        "site_id": site_id, "sector_id": sector_id, "title": f"Guide number {n}",
        "keywords": [f"topic {n}", "guide"], "word_count": 600})["id"] for n in range(args.tasks)]
    say(f"{len(task_ids)} tasks created; writer RSS peak so far {peak_rss_mib(writer.pid):.0f} MiB")
    timeout = 60 + 10 * args.tasks * args.latency
    phases: dict[str, Any] = {}
    say("phase content: generate_content/")
    phases["content"] = run_phase(api, fake, "/api/v1/writer/tasks/generate_content/", task_ids,
                                  {}, timeout, args.batch)
    say("phase images: generate_images/")
    phases["images"] = run_phase(api, fake, "/api/v1/writer/tasks/generate_images/", task_ids,
                                 {"in_article_count": args.in_article}, timeout, args.batch)
    for phase in phases.values():
        calls = phase["chat_calls"] + phase["image_calls"]
        phase["ideal_seconds"] = calls * args.latency / args.concurrency
        phase["ratio"] = phase["wall_seconds"] / phase["ideal_seconds"]
    return {"phases": phases, "writer_peak_rss_mib": peak_rss_mib(writer.pid)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--in-article", type=int, default=2)
    # Tasks per operation (the API takes at most 100). 50: generate_content's result for 100
    # tasks outgrows the 16 kB an operation event may carry (the operation then fails).
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    stack = Stack()
    try:
        outcome = run(args, stack)
    except KeyboardInterrupt:
        say("interrupted: stopping everything")
        return 130
    except Exception as exc:
        say(f"benchmark failed: {type(exc).__name__}: {exc}")
        return 1
    finally:
        stack.close()
    phases = outcome["phases"]
    total_wall = sum(p["wall_seconds"] for p in phases.values())
    total_ideal = sum(p["ideal_seconds"] for p in phases.values())
    print(f"\npipeline benchmark: {args.tasks} tasks, latency {args.latency:g}s, concurrency "
          f"{args.concurrency}, {args.in_article} in-article images; {os.cpu_count()} CPUs, "
          f"load {load_before:.2f} → {os.getloadavg()[0]:.2f}")
    print(f"{'phase':<8} {'chat':>6} {'images':>6} {'in flight':>9} {'wall s':>8} "
          f"{'ideal s':>8} {'ratio':>6} {'failed':>6}")
    for name, p in phases.items():
        print(f"{name:<8} {p['chat_calls']:>6} {p['image_calls']:>6} {p['max_in_flight']:>9} "
              f"{p['wall_seconds']:>8.1f} {p['ideal_seconds']:>8.1f} {p['ratio']:>6.2f} "
              f"{len(p['failed']):>6}")
    print(f"{'total':<8} {'':>6} {'':>6} {'':>9} {total_wall:>8.1f} {total_ideal:>8.1f} "
          f"{total_wall / total_ideal:>6.2f}")
    print(f"writer peak RSS (VmHWM): {outcome['writer_peak_rss_mib']:.0f} MiB")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({
        "time": datetime.now(UTC).isoformat(), "tasks": args.tasks, "latency": args.latency,
        "concurrency": args.concurrency, "in_article": args.in_article, "batch": args.batch,
        **outcome,
        "total": {"wall_seconds": total_wall, "ideal_seconds": total_ideal,
                  "ratio": total_wall / total_ideal}}, indent=2))
    print(f"(written to {args.output})")
    return 2 if any(p["failed"] for p in phases.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
