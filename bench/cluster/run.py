"""Clustering benchmark: time and peak memory for synthetic keyword sets.

    .venv/bin/python bench/cluster/run.py [--sizes 10000 100000] [--method local|lexical]

Each size runs in a fresh process, so its peak resident memory (``ru_maxrss``) is its own;
``tracemalloc`` peak (the Python and numpy allocations of the measured calls only) is printed
too. ``local`` (the planner's method) is timed in steps: loading the model, embedding (cold
cache), clustering, then an incremental join of 1,000 new keywords into the clustered set (the
existing keywords' vectors come from the cache). ``lexical`` is the reference: the TF-IDF
method the local one replaced. Keywords are synthetic but keyword-like: a topic's head term with
modifiers, locations and question words, plus noise words, drawn with a fixed seed.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
import tracemalloc

from igny8_planner.adapters.static_embeddings import StaticEmbedder
from igny8_planner.domain.clustering.grouping import group_texts
from igny8_planner.domain.clustering.local import place_locally

MODIFIERS = ["best", "cheap", "buy", "top", "review", "reviews", "near me", "online", "for sale",
             "how to choose", "vs", "price", "deals", "2026", "for beginners", "guide", "repair",
             "used", "new", "professional", "small", "large", "portable", "electric"]
QUESTIONS = ["what is", "how to use", "why", "where to buy", "how much is", "is it worth"]
JOINED = 1_000
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


def measure_local(size: int) -> None:
    texts = synthetic_keywords(size + JOINED, seed=7)
    old, new = texts[:size], texts[size:]
    started = time.perf_counter()
    embedder = StaticEmbedder.from_package()
    loaded = time.perf_counter() - started
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    started = time.perf_counter()
    embedder.embed(old)
    embedding = time.perf_counter() - started
    started = time.perf_counter()
    placement = place_locally([], old, embedder.embed)
    clustering = time.perf_counter() - started
    groups = placement.new_groups
    started = time.perf_counter()
    joining = place_locally([[old[i] for i in group] for group in groups], new, embedder.embed)
    join_seconds = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    joined = sum(1 for cluster in joining.joined if cluster >= 0)
    print(f"local keywords={size} clusters={len(groups)} largest={max(map(len, groups))} "
          f"load_model={loaded:.1f}s embed={embedding:.1f}s cluster={clustering:.1f}s "
          f"join_{JOINED}={join_seconds:.1f}s (joined {joined}, new clusters "
          f"{len(joining.new_groups)}) rss_after_load_mib={rss_loaded:.0f} "
          f"peak_rss_mib={rss_mib:.0f} traced_peak_mib={traced_peak / 2**20:.0f}", flush=True)


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
    print(f"lexical keywords={size} clusters={len(groups)} largest={largest} seconds={seconds:.1f} "
          f"peak_rss_mib={rss_mib:.0f} traced_peak_mib={traced_peak / 2**20:.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--method", choices=("local", "lexical"), nargs="+",
                        default=["lexical", "local"])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        (measure_local if arguments.method == ["local"] else measure)(arguments.one)
        return
    for size in arguments.sizes:
        for method in arguments.method:
            subprocess.run([sys.executable, __file__, "--one", str(size), "--method", method],
                           check=True)


if __name__ == "__main__":
    main()
