"""Placing new keywords among existing clusters without re-clustering everything.

A new keyword joins the existing cluster whose centroid it is most similar to, if that
similarity reaches ``join_similarity``; the rest are clustered among themselves into new
clusters. Existing clusters keep their members, so a user's manual edits survive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import scipy.sparse as sp

from igny8_planner.domain.clustering.grouping import GroupingSettings, group_vectors
from igny8_planner.domain.clustering.summary import centroid
from igny8_planner.domain.clustering.vectors import keyword_vectors

JOIN_SIMILARITY: Final = 0.35
CHUNK_ROWS: Final = 5_000


@dataclass(frozen=True)
class Placement:
    """``joined[i]`` is the position in ``existing`` new keyword i joined, or -1;
    ``new_groups`` are the other new keywords' clusters (indices into the new keywords)."""

    joined: list[int]
    new_groups: list[list[int]] = field(default_factory=list)


def place_new_keywords(existing: Sequence[Sequence[str]], new_texts: Sequence[str],
                       join_similarity: float = JOIN_SIMILARITY,
                       settings: GroupingSettings | None = None) -> Placement:
    """``existing`` holds each existing cluster's member texts."""
    if not new_texts:
        return Placement([])
    old_texts = [text for members in existing for text in members]
    vectors = keyword_vectors([*old_texts, *new_texts])
    new_vectors = vectors[len(old_texts):]
    joined = _nearest_centroids(vectors, existing, new_vectors, join_similarity)
    left = [i for i, cluster in enumerate(joined) if cluster < 0]
    groups = group_vectors(new_vectors[left], settings) if left else []
    return Placement(joined, [[left[i] for i in group] for group in groups])


def _nearest_centroids(vectors: sp.csr_matrix, existing: Sequence[Sequence[str]],
                       new_vectors: sp.csr_matrix, join_similarity: float) -> list[int]:
    count = new_vectors.shape[0]
    if not existing:
        return [-1] * count
    starts = np.cumsum([0, *(len(members) for members in existing)])
    centroids = sp.vstack([centroid(vectors, range(starts[i], starts[i + 1]))
                           for i in range(len(existing))], format="csr")
    joined = np.full(count, -1, dtype=np.int64)
    for start in range(0, count, CHUNK_ROWS):
        similarity = (new_vectors[start:start + CHUNK_ROWS] @ centroids.T).toarray()
        best = similarity.argmax(axis=1)  # first maximum, so ties go to the earlier cluster
        good = similarity[np.arange(len(best)), best] >= join_similarity
        joined[start:start + CHUNK_ROWS][good] = best[good]
    return [int(cluster) for cluster in joined]
