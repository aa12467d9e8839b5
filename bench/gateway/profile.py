"""Where the gateway and billing spend their CPU under the benchmark's load: starts the same
stack as ``run.py``, and for each authenticated row samples the serving processes with
``py-spy record`` while the load runs, then prints the busiest frames.

    .venv/bin/python -m uv pip install --python .venv/bin/python py-spy==0.4.3
    .venv/bin/python bench/gateway/profile.py [--duration 20] [--concurrency 64] [--top 25]

py-spy is a profiling tool, not a project dependency: install it by hand as above. Collapsed
stacks (py-spy's ``raw`` format, one ``frame;frame;... count`` line per stack) are written to
``bench/results/profile/<row>-<process>.txt``; give them to any flame-graph viewer. The table
shows, per process, the share of samples in which a frame is the innermost one ("self") and in
which it appears anywhere on the stack ("total"); idle samples (the event loop waiting) are left
out, so the shares are of busy time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.gateway import run as bench  # noqa: E402
from bench.gateway.loadgen import LoadSpec, measure  # noqa: E402

PROFILE_DIR = bench.RESULTS_DIR / "profile"


def py_spy() -> str:
    found = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if found is None:
        raise SystemExit("py-spy is not installed; see this script's docstring")
    return found


def record(pid: int, seconds: float, output: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [py_spy(), "record", "--pid", str(pid), "--duration", str(int(seconds)),
         "--format", "raw", "--rate", "200", "--nonblocking", "--output", str(output)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def top_frames(collapsed: Path, top: int) -> tuple[int, list[tuple[str, int, int]]]:
    """(busy samples, [(frame, self samples, total samples)]) busiest by total first."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    busy = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        frames = stack.split(";")
        count = int(count_text)
        busy += count
        own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    rows = [(frame, own[frame], total[frame]) for frame in total]
    rows.sort(key=lambda row: (row[2], row[1]), reverse=True)
    return busy, rows[:top]


def report(label: str, name: str, collapsed: Path, top: int) -> None:
    busy, rows = top_frames(collapsed, top)
    print(f"\n== {label}: {name} ({busy} busy samples; {collapsed.relative_to(REPO)})")
    print(f"{'self':>6} {'total':>6}  frame")
    for frame, own, total in rows:
        print(f"{100 * own / max(busy, 1):5.1f}% {100 * total / max(busy, 1):5.1f}%  {frame}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/gateway/profile.py")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    py_spy()
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    stack = bench.Stack()
    try:
        tmp = Path(tempfile.mkdtemp(prefix="igny8-profile-"))
        stack.push("temporary folder", lambda: shutil.rmtree(tmp, ignore_errors=True))
        nats_url = bench.start_nats(stack, tmp)
        database_url = bench.start_postgres(stack, tmp)
        bench.migrate(database_url)
        (tmp / "jwt").mkdir()
        env = {"DATABASE_URL": database_url, "NATS_URL": nats_url,
               "IGNY8_JWT_KEY_DIR": str(tmp / "jwt"), "IGNY8_LOG_LEVEL": bench.LOG_LEVEL,
               "IGNY8_ACCESS_TOKEN_MINUTES": "1440"}
        billing = bench.start_process(stack, "billing", env)
        gateway = bench.start_process(stack, "gateway", env)
        auth = {"Authorization": f"Bearer {bench.sign_up(gateway)}"}
        rows = [(bench.ME, "/api/v1/auth/me/", [gateway]),
                (bench.BALANCE, "/api/v1/billing/balance/", [gateway, billing])]
        for label, path, processes in rows:
            warmup = 2.0
            outputs = {p.name: PROFILE_DIR / f"{label.replace('/', '-')}-{p.name}.txt"
                       for p in processes}
            spec = LoadSpec(label=label, url=gateway.url(path), headers=auth,
                            duration=args.duration + warmup, warmup=warmup,
                            concurrency=args.concurrency)
            samplers = []
            for p in processes:
                assert p.pid is not None
                samplers.append(record(p.pid, args.duration, outputs[p.name]))
            result = measure(spec)
            for sampler in samplers:
                sampler.wait(60)
            bench.say(f"{label}: {result.rps:.0f} rps, p50 {result.p50_ms:.1f} ms, "
                      f"p99 {result.p99_ms:.1f} ms, {result.errors} errors (under the profiler)")
            for name, output in outputs.items():
                report(label, name, output, args.top)
    finally:
        stack.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
