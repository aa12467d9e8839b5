"""Local clustering benchmark: time and peak memory for synthetic keyword sets.

    .venv/bin/python bench/cluster/run.py [--sizes 10000 100000]

Each size runs in a fresh process, so its peak resident memory (``ru_maxrss``) is its own;
``tracemalloc`` peak (the Python and numpy allocations of the clustering call only) is printed
too. Keywords are synthetic but keyword-like: a topic's head term with modifiers, locations
and question words, plus noise words, drawn with a fixed seed.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
import tracemalloc

from igny8_planner.domain.clustering.grouping import group_texts

MODIFIERS = ["best", "cheap", "buy", "top", "review", "reviews", "near me", "online", "for sale",
             "how to choose", "vs", "price", "deals", "2026", "for beginners", "guide", "repair",
             "used", "new", "professional", "small", "large", "portable", "electric"]
QUESTIONS = ["what is", "how to use", "why", "where to buy", "how much is", "is it worth"]
CITIES = ["london", "paris", "berlin", "new york", "chicago", "austin", "madrid", "rome"]


def synthetic_keywords(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ver", "tan", "dro", "pel", "sun", "rix", "ba", "no", "tur"]
    topics = max(10, count // 40)
    heads = [" ".join("".join(rng.choice(syllables) for _ in range(3))
                      for _ in range(rng.choice((1, 2)))) for _ in range(topics)]
    keywords = []
    for _ in range(count):
        head = heads[int(rng.paretovariate(1.2)) % topics]
        shape = rng.random()
        if shape < 0.4:
            keyword = f"{rng.choice(MODIFIERS)} {head}"
        elif shape < 0.6:
            keyword = f"{rng.choice(QUESTIONS)} {head}"
        elif shape < 0.8:
            keyword = f"{head} {rng.choice(CITIES)}"
        else:
            keyword = f"{rng.choice(MODIFIERS)} {head} {rng.choice(MODIFIERS)}"
        keywords.append(keyword)
    return keywords


def measure(size: int) -> None:
    texts = synthetic_keywords(size)
    tracemalloc.start()
    started = time.perf_counter()
    groups = group_texts(texts)
    seconds = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    largest = max(len(group) for group in groups)
    print(f"keywords={size} clusters={len(groups)} largest={largest} seconds={seconds:.1f} "
          f"peak_rss_mib={rss_mib:.0f} traced_peak_mib={traced_peak / 2**20:.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        measure(arguments.one)
        return
    for size in arguments.sizes:
        subprocess.run([sys.executable, __file__, "--one", str(size)], check=True)


if __name__ == "__main__":
    main()
