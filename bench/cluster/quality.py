"""Clustering quality on the labelled short-text sets, without telling the number of clusters.

Run: .venv/bin/python bench/cluster/quality.py [data folder]  (default ../shared/data/clustering)
Prints NMI, ACC (clusters mapped to labels by the Hungarian algorithm) and ARI per set.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from igny8_planner.domain.clustering.grouping import group_texts

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "clustering"


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


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    for path in sorted(folder.glob("*.tsv")):
        labels, texts = load(path)
        started = time.perf_counter()
        groups = group_texts(texts)
        seconds = time.perf_counter() - started
        predicted = np.empty(len(texts), dtype=np.int64)
        for number, members in enumerate(groups):
            predicted[members] = number
        print(f"{path.stem}: texts={len(texts)} labels={len(set(labels))} clusters={len(groups)} "
              f"NMI={normalized_mutual_info_score(labels, predicted):.3f} "
              f"ACC={accuracy(labels, predicted):.3f} "
              f"ARI={adjusted_rand_score(labels, predicted):.3f} seconds={seconds:.1f}")


if __name__ == "__main__":
    main()
