"""How big the clusters should be: a coarseness, or a target number of clusters.

Without a target, ``Granularity`` picks how readily the pieces that label propagation found are
merged (``semantic._merge_close_groups``: mutual best pairs of centroids at least that alike):
``medium`` gives the topics as found, ``coarse`` merges more of them into broader topics, ``fine``
merges less and cuts what is still larger than one article's keywords (``FINE_MAX_KEYWORDS``).

With a target ``count``, the pieces are merged (or split) until exactly that many clusters are
left: pieces are grouped by a weighted spherical k-means on their centroids (each piece weighs
its size, so a big piece pulls its topic's centre), which is cheap even for 100,000 keywords
because it runs on the pieces, not the keywords; when there are fewer pieces than asked for, the
largest cluster is cut in two (2-means on its rows) until there are enough. Both use a fixed
seed, so the result is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
Granularity = Literal["fine", "medium", "coarse"]

SEED: Final = 0
KMEANS_RUNS: Final = 3
BISECT_ROUNDS: Final = 20
# How much more (or less) alike than a method's calibrated (medium) merge threshold two pieces'
# centroids must be to merge, per granularity.
MERGE_OFFSET: Final[dict[Granularity, float]] = {"fine": 0.15, "medium": 0.0, "coarse": -0.1}
# ``fine`` also cuts clusters larger than this in two until none is: one article's keywords.
FINE_MAX_KEYWORDS: Final = 10


@dataclass(frozen=True)
class ClusterTarget:
    """What the user asked for: a coarseness, or an exact number of clusters."""

    granularity: Granularity = "medium"
    count: int | None = None

    def merge_similarity(self, medium: float) -> float:
        """The merge threshold for this granularity, given the method's calibrated one."""
        return medium + MERGE_OFFSET[self.granularity]

    def largest(self) -> int | None:
        """The most keywords a cluster may hold (None: no limit)."""
        return FINE_MAX_KEYWORDS if self.granularity == "fine" and self.count is None else None


def unit_centroids(vectors: Matrix, groups: Sequence[Sequence[int]]) -> Matrix:
    centroids = np.stack([vectors[list(group)].mean(axis=0) for group in groups])
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    unit: Matrix = np.divide(centroids, norms, out=np.zeros_like(centroids), where=norms > 0)
    return unit


def to_count(vectors: Matrix, groups: list[list[int]], count: int) -> list[list[int]]:
    """``groups`` (indices of ``vectors``) merged or split into exactly ``count`` clusters
    (``1 <= count <= len(vectors)``); clusters by first member, members ascending."""
    if not 1 <= count <= vectors.shape[0]:
        raise ValueError(f"count must be between 1 and {vectors.shape[0]}, not {count}")
    if len(groups) > count:
        groups = _merged(vectors, groups, count)
    while len(groups) < count:
        groups = _split_largest(vectors, groups)
    return sorted((sorted(group) for group in groups), key=lambda members: members[0])


def cap_sizes(vectors: Matrix, groups: list[list[int]], largest: int) -> list[list[int]]:
    """Groups larger than ``largest`` cut in two (2-means on their rows) until none is."""
    done: list[list[int]] = []
    pending = [sorted(group) for group in groups]
    while pending:
        group = pending.pop()
        if len(group) <= largest:
            done.append(group)
        else:
            pending.extend(_halves(vectors, group))
    return sorted(done, key=lambda members: members[0])


def _merged(vectors: Matrix, groups: list[list[int]], count: int) -> list[list[int]]:
    from sklearn.cluster import KMeans  # only a count needs it (its import takes ~1 s)

    centroids = unit_centroids(vectors, groups)
    sizes = np.array([len(group) for group in groups], dtype=np.float64)
    if count == 1:
        return [[i for group in groups for i in group]]
    labels = KMeans(count, n_init=KMEANS_RUNS, random_state=SEED).fit(
        centroids, sample_weight=sizes).labels_
    merged: dict[int, list[int]] = {}
    for label, group in zip(labels.tolist(), groups, strict=True):
        merged.setdefault(label, []).extend(group)
    return list(merged.values())


def _split_largest(vectors: Matrix, groups: list[list[int]]) -> list[list[int]]:
    largest = max(range(len(groups)), key=lambda g: (len(groups[g]), -min(groups[g])))
    return [*groups[:largest], *_halves(vectors, sorted(groups[largest])), *groups[largest + 1:]]


def _halves(vectors: Matrix, members: list[int]) -> list[list[int]]:
    """``members`` cut in two by a spherical 2-means seeded with the row least like their
    centroid and the row least like that one (deterministic; identical rows: cut anywhere)."""
    rows = vectors[members]
    seed_a = int(np.argmin(rows @ rows.mean(axis=0)))
    seed_b = int(np.argmin(rows @ rows[seed_a]))
    centres = rows[[seed_a, seed_b]]
    side = np.zeros(len(members), dtype=np.int64)
    for _ in range(BISECT_ROUNDS):
        updated = (rows @ centres.T).argmax(axis=1)  # ties go to the first centre
        if _ == 0 or not np.array_equal(updated, side):
            side = updated
        else:
            break
        if side.min() == side.max():
            break
        centres = np.stack([rows[side == s].mean(axis=0) for s in (0, 1)])
    if side.min() == side.max():
        side = np.arange(len(members)) % 2
    return [[m for m, s in zip(members, side.tolist(), strict=True) if s == half]
            for half in (0, 1)]
