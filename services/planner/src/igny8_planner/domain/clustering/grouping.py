"""Grouping keyword texts into clusters without being told how many: vectors, nearest
neighbours, a similarity graph, label propagation (each step's module says why)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from igny8_planner.domain.clustering.graph import propagate_labels, similarity_graph
from igny8_planner.domain.clustering.neighbours import nearest_neighbours
from igny8_planner.domain.clustering.vectors import keyword_vectors


@dataclass(frozen=True)
class GroupingSettings:
    neighbours: int = 20
    min_similarity: float = 0.1


def group_texts(texts: Sequence[str], settings: GroupingSettings | None = None) -> list[list[int]]:
    """Indices of ``texts`` per cluster; clusters by first member, members ascending."""
    return group_vectors(keyword_vectors(texts), settings)


def group_vectors(vectors: sp.csr_matrix,
                  settings: GroupingSettings | None = None) -> list[list[int]]:
    chosen = settings or GroupingSettings()
    if vectors.shape[0] == 0:
        return []
    neighbours = nearest_neighbours(vectors, chosen.neighbours)
    graph = similarity_graph(neighbours, chosen.min_similarity)
    return groups_of(propagate_labels(graph))


def groups_of(labels: npt.NDArray[np.int64]) -> list[list[int]]:
    order = np.argsort(labels, kind="stable")
    boundaries = np.flatnonzero(np.diff(labels[order])) + 1
    groups = [chunk.tolist() for chunk in np.split(order, boundaries)]
    groups.sort(key=lambda members: members[0])
    return groups
