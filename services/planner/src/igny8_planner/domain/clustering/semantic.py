"""Semantic clustering: the same placement as the local method (new keywords join the nearest
existing cluster, the rest group among themselves by label propagation on a nearest-neighbour
graph), but on dense embeddings from the provider instead of TF-IDF vectors, so keywords that
share meaning without sharing words ("sneakers", "running shoes") can meet.

Embeddings are dense, so neighbours come from chunked dense matrix products; rows must be unit
length (cosine similarity = dot product).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from igny8_planner.domain.clustering.granularity import cap_sizes, to_count, unit_centroids
from igny8_planner.domain.clustering.graph import propagate_labels, similarity_graph
from igny8_planner.domain.clustering.grouping import GroupingSettings, groups_of
from igny8_planner.domain.clustering.incremental import Placement
from igny8_planner.domain.clustering.neighbours import Neighbours

Matrix = npt.NDArray[np.float32]

# Measured on a real sentence-embedding model (all-MiniLM-L6-v2, bench/cluster/quality.py
# --method semantic): random pairs of short texts are about 0.06-0.09 alike, a text's nearest
# neighbour typically 0.65-0.75, its 10th 0.45-0.55. Chosen on ONE labelled set (tweet) as the
# best NMI over a grid (neighbours 10/20/30, edge 0.3-0.5, merge 0.6-0.8; then join 0.25-0.7
# with half the texts existing, half new), and checked on the other set (search_snippets): the
# earlier guesses (20, 0.5, merge 0.8, join 0.6) cut real topic links and left one topic in
# many pieces on both sets. Absolute cosines depend on the model: a very anisotropic one
# (every pair 0.7+ alike) would need higher values. Figures: bench/README.md.
SEMANTIC_GROUPING: Final = GroupingSettings(neighbours=10, min_similarity=0.4)
SEMANTIC_JOIN_SIMILARITY: Final = 0.4
SEMANTIC_MERGE_SIMILARITY: Final = 0.65
CHUNK_ROWS: Final = 1_000
MAX_MERGE_ROUNDS: Final = 50
MAX_SEMANTIC_KEYWORDS: Final = 20_000


def dense_neighbours(vectors: Matrix, k: int) -> Neighbours:
    """The ``k`` most similar other rows of each row, most similar first (-1 pads)."""
    n = vectors.shape[0]
    indices = np.full((n, k), -1, dtype=np.int64)
    similarities = np.zeros((n, k), dtype=np.float32)
    take = min(k, n - 1)
    if take <= 0:
        return Neighbours(indices, similarities)
    for start in range(0, n, CHUNK_ROWS):
        stop = min(n, start + CHUNK_ROWS)
        block = vectors[start:stop] @ vectors.T
        block[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not its own neighbour
        best = np.argpartition(-block, take - 1, axis=1)[:, :take]
        best_similarity = np.take_along_axis(block, best, axis=1)
        # Most similar first; ties by index so the result never depends on the partition.
        order = np.lexsort((best, -best_similarity), axis=1)
        indices[start:stop, :take] = np.take_along_axis(best, order, axis=1)
        similarities[start:stop, :take] = np.take_along_axis(best_similarity, order, axis=1)
    return Neighbours(indices, similarities)


def group_embeddings(vectors: Matrix, settings: GroupingSettings = SEMANTIC_GROUPING,
                     merge_similarity: float = SEMANTIC_MERGE_SIMILARITY, *,
                     adopt_similarity: float | None = None,
                     count: int | None = None,
                     largest: int | None = None) -> list[list[int]]:
    """Groups by label propagation, then groups whose centroids are at least
    ``merge_similarity`` alike (and each other's closest) merged: propagation can leave one
    topic in a few pieces.

    ``adopt_similarity`` lets a keyword left alone join the cluster whose centroid it is that
    alike; ``count`` merges or splits the result into exactly that many clusters
    (``granularity.to_count``); else ``largest`` cuts larger clusters (``granularity.cap_sizes``)."""
    if vectors.shape[0] == 0:
        return []
    neighbours = dense_neighbours(vectors, settings.neighbours)
    groups = groups_of(propagate_labels(similarity_graph(neighbours, settings.min_similarity)))
    groups = _merge_close_groups(vectors, groups, merge_similarity)
    if adopt_similarity is not None:
        groups = adopt_singletons(vectors, groups, adopt_similarity)
    if count is not None:
        groups = to_count(vectors, groups, count)
    elif largest is not None:
        groups = cap_sizes(vectors, groups, largest)
    return groups


def adopt_singletons(vectors: Matrix, groups: list[list[int]],
                     adopt_similarity: float) -> list[list[int]]:
    """A keyword alone in its group joins the larger group whose centroid it is most alike,
    if at least ``adopt_similarity``; true outliers stay alone."""
    alone = [g for g, members in enumerate(groups) if len(members) == 1]
    kept = [g for g, members in enumerate(groups) if len(members) > 1]
    if not alone or not kept:
        return groups
    centroids = unit_centroids(vectors, [groups[g] for g in kept])
    merged = [list(groups[g]) for g in kept]
    stays = []
    for start in range(0, len(alone), CHUNK_ROWS):
        chunk = alone[start:start + CHUNK_ROWS]
        similarity = vectors[[groups[g][0] for g in chunk]] @ centroids.T
        best = similarity.argmax(axis=1)  # ties go to the earlier group
        for g, target, value in zip(chunk, best.tolist(),
                                    similarity[np.arange(len(chunk)), best].tolist(),
                                    strict=True):
            if value >= adopt_similarity:
                merged[target].append(groups[g][0])
            else:
                stays.append(list(groups[g]))
    return sorted((sorted(members) for members in [*merged, *stays]), key=lambda m: m[0])


def _merge_close_groups(vectors: Matrix, groups: list[list[int]],
                        merge_similarity: float) -> list[list[int]]:
    """Pairs of groups that are each other's most similar group, centroids at least
    ``merge_similarity`` alike, merged; again on the merged centroids until no pair is left.

    Only mutual best pairs merge, so a merge never chains: merging every pair above the
    threshold at once (single linkage) let a run of pairwise-close groups swallow a third
    of a real model's search snippets in one cluster."""
    merged = [list(group) for group in groups]
    for _ in range(MAX_MERGE_ROUNDS):
        if len(merged) < 2:
            break
        best, best_similarity = _most_similar_other(unit_centroids(vectors, merged))
        ids = np.arange(len(merged))
        mutual = (best[best] == ids) & (ids < best) & (best_similarity >= merge_similarity)
        if not mutual.any():
            break
        absorbed = set(best[mutual].tolist())
        for keeper in np.flatnonzero(mutual):
            merged[keeper].extend(merged[best[keeper]])
        merged = [group for index, group in enumerate(merged) if index not in absorbed]
    return sorted((sorted(members) for members in merged), key=lambda m: m[0])


def _most_similar_other(centroids: Matrix) -> tuple[npt.NDArray[np.int64], Matrix]:
    """Each row's most similar other row (ties to the smaller index) and that similarity."""
    count = centroids.shape[0]
    best = np.zeros(count, dtype=np.int64)
    similarity_of_best = np.zeros(count, dtype=np.float32)
    for start in range(0, count, CHUNK_ROWS):
        similarity = centroids[start:start + CHUNK_ROWS] @ centroids.T
        rows = np.arange(similarity.shape[0])
        similarity[rows, rows + start] = -np.inf  # not its own best
        best[start:start + len(rows)] = similarity.argmax(axis=1)
        similarity_of_best[start:start + len(rows)] = similarity[rows, best[start:start + len(rows)]]
    return best, similarity_of_best


def place_by_embeddings(existing_sizes: Sequence[int], existing: Matrix, new: Matrix,
                        join_similarity: float = SEMANTIC_JOIN_SIMILARITY,
                        settings: GroupingSettings = SEMANTIC_GROUPING, *,
                        merge_similarity: float = SEMANTIC_MERGE_SIMILARITY,
                        adopt_similarity: float | None = None,
                        count: int | None = None,
                        largest: int | None = None) -> Placement:
    """``existing`` holds the existing clusters' members' rows, cluster after cluster
    (``existing_sizes`` members each); ``new`` the new keywords' rows. With a ``count`` no
    keyword joins an existing cluster: the new keywords form exactly ``count`` new clusters."""
    count_of_new = new.shape[0]
    if count_of_new == 0:
        return Placement([])
    joined = np.full(count_of_new, -1, dtype=np.int64)
    if existing_sizes and count is None:
        starts = np.cumsum([0, *existing_sizes])
        centroids = np.stack([existing[starts[i]:starts[i + 1]].mean(axis=0)
                              for i in range(len(existing_sizes))])
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        centroids = np.divide(centroids, norms, out=np.zeros_like(centroids), where=norms > 0)
        for start in range(0, count_of_new, CHUNK_ROWS):
            similarity = new[start:start + CHUNK_ROWS] @ centroids.T
            best = similarity.argmax(axis=1)  # ties go to the earlier cluster
            good = similarity[np.arange(len(best)), best] >= join_similarity
            joined[start:start + CHUNK_ROWS][good] = best[good]
    left = [i for i in range(count_of_new) if joined[i] < 0]
    groups = group_embeddings(
        new[left], settings, merge_similarity, adopt_similarity=adopt_similarity, count=count,
        largest=largest) if left else []
    return Placement([int(c) for c in joined], [[left[i] for i in group] for group in groups])
