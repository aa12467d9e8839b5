"""Clustering quality on the labelled short-text sets, without and with the number of clusters.

Run: .venv/bin/python bench/cluster/quality.py [--method local|semantic] [data folder]
(default folder: shared/data/clustering beside the checkout). Prints NMI, ACC (clusters mapped to
labels by the Hungarian algorithm) and ARI per set, for the lexical reference (TF-IDF words and
character n-grams, label propagation: the local method before it used a model) and the local
method (the planner's own path: ``StaticEmbedder`` + ``place_locally``), each without the number
of clusters and (local) with ``cluster_count`` set to the labels' count; then the time per 1,000
texts, embedding and clustering apart. ``--method semantic`` adds the semantic method's row on
real embeddings from a local model (all-MiniLM-L6-v2) served through an OpenAI-compatible
endpoint (``real_embeddings.py``; bench extras needed: bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from igny8_planner.adapters.static_embeddings import StaticEmbedder
from igny8_planner.domain.clustering.granularity import ClusterTarget
from igny8_planner.domain.clustering.grouping import group_texts
from igny8_planner.domain.clustering.local import place_locally


def _shared_data() -> Path:
    """shared/data/clustering in the nearest folder above the checkout that has one (the main
    checkout and the worktrees sit at different depths)."""
    for folder in Path(__file__).resolve().parents[2].parents:
        if (folder / "shared" / "data" / "clustering").is_dir():
            return folder / "shared" / "data" / "clustering"
    return Path("shared/data/clustering")


DEFAULT_DATA = _shared_data()


def load(path: Path) -> tuple[list[str], list[str]]:
    labels, texts = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, text = line.split("\t", 1)
        labels.append(label)
        texts.append(text)
    return labels, texts


def accuracy(truth: list[str], predicted: np.ndarray) -> float:
    _, truth_ids = np.unique(truth, return_inverse=True)
    _, predicted_ids = np.unique(predicted, return_inverse=True)
    counts = np.zeros((predicted_ids.max() + 1, truth_ids.max() + 1))
    np.add.at(counts, (predicted_ids, truth_ids), 1)
    rows, columns = linear_sum_assignment(-counts)
    return float(counts[rows, columns].sum() / len(truth))


def report(name: str, method: str, labels: list[str], groups: Sequence[Sequence[int]],
           seconds: float) -> None:
    predicted = np.empty(len(labels), dtype=np.int64)
    for number, members in enumerate(groups):
        predicted[list(members)] = number
    print(f"{name:<16} {method:<14} texts={len(labels)} labels={len(set(labels))} "
          f"clusters={len(groups)} NMI={normalized_mutual_info_score(labels, predicted):.3f} "
          f"ACC={accuracy(labels, predicted):.3f} ARI={adjusted_rand_score(labels, predicted):.3f} "
          f"seconds={seconds:.1f}", flush=True)


async def semantic_rows(sets: list[tuple[str, list[str], list[str]]]) -> None:
    from bench.cluster.real_embeddings import load_model_embedder, model_server, provider_embed
    from igny8_planner.service_layer.semantic_clustering import placement

    with model_server(load_model_embedder()) as server:
        async with provider_embed(server) as embed:
            for name, labels, texts in sets:
                started = time.perf_counter()
                found, usage = await placement([], texts, embed)  # no existing clusters
                seconds = time.perf_counter() - started
                report(name, "semantic", labels, found.new_groups, seconds)
                print(f"{'':<16} embedding calls={usage.calls} tokens={usage.prompt_tokens}")
        print(f"embedding requests answered by the model: "
              f"{len(server.state.records('/embeddings'))}", flush=True)


def local_rows(name: str, labels: list[str], texts: list[str]) -> None:
    """The local method without a count (each granularity) and told the labels' count; the
    embedding is timed once on a fresh embedder (cold cache), then served from its cache."""
    embedder = StaticEmbedder.from_package()
    started = time.perf_counter()
    embedder.embed(texts)
    embedding = time.perf_counter() - started
    clustering = 0.0
    for target in (ClusterTarget("medium"), ClusterTarget("fine"), ClusterTarget("coarse"),
                   ClusterTarget(count=len(set(labels)))):
        started = time.perf_counter()
        found = place_locally([], texts, embedder.embed, target)
        seconds = time.perf_counter() - started
        clustering = clustering or seconds
        label = f"local/{target.count}" if target.count else f"local/{target.granularity}"
        report(name, label, labels, found.new_groups, seconds)
    per_1000 = 1000 / len(texts)
    print(f"{'':<16} local: embedding {embedding * per_1000:.2f} s and clustering (medium) "
          f"{clustering * per_1000:.2f} s per 1,000 texts", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--method", choices=("local", "semantic"), default="local")
    args = parser.parse_args(argv)
    sets = []
    for path in sorted(args.folder.glob("*.tsv")):
        labels, texts = load(path)
        started = time.perf_counter()
        groups = group_texts(texts)
        report(path.stem, "lexical", labels, groups, time.perf_counter() - started)
        local_rows(path.stem, labels, texts)
        sets.append((path.stem, labels, texts))
    if args.method == "semantic":
        asyncio.run(semantic_rows(sets))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # `bench` as a package
    main()
