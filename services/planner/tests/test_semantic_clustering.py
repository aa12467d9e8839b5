"""Semantic clustering on dense embeddings, without a database: topics found without a cluster
count, new keywords joining the nearest existing cluster, determinism."""

from __future__ import annotations

import numpy as np

from igny8_planner.domain.clustering.semantic import (
    _merge_close_groups,
    dense_neighbours,
    group_embeddings,
    place_by_embeddings,
)


def topics(sizes: list[int], dimensions: int = 64, noise: float = 0.08,
           seed: int = 7) -> tuple[np.ndarray, list[int]]:
    """Unit rows scattered around one random direction per topic; each row's topic."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), dimensions))
    rows, labels = [], []
    for topic, size in enumerate(sizes):
        for _ in range(size):
            rows.append(centres[topic] / np.linalg.norm(centres[topic])
                        + rng.normal(scale=noise, size=dimensions))
            labels.append(topic)
    matrix = np.asarray(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True), labels


def test_topics_are_found_without_being_told_how_many() -> None:
    vectors, labels = topics([12, 9, 15, 4])
    groups = group_embeddings(vectors)
    assert sorted(sorted(labels[i] for i in g) for g in groups) == sorted(
        [[t] * n for t, n in enumerate([12, 9, 15, 4])])


def test_topics_as_loose_as_a_real_models_are_still_found_whole() -> None:
    # Members about 0.45 alike, as related short texts are with a real sentence-embedding
    # model (bench/cluster/quality.py --method semantic); unrelated rows about 0 alike.
    vectors, labels = topics([15, 12, 20, 8], noise=0.13, seed=11)
    similarity = vectors @ vectors.T
    same_topic = np.equal.outer(labels, labels) & ~np.eye(len(labels), dtype=bool)
    assert 0.4 < np.median(similarity[same_topic]) < 0.5
    groups = group_embeddings(vectors)
    assert sorted(sorted(labels[i] for i in g) for g in groups) == sorted(
        [[t] * n for t, n in enumerate([15, 12, 20, 8])])


def test_merging_pieces_never_chains_along_a_run_of_close_pieces() -> None:
    # Five one-row pieces along an arc, each 0.72 or 0.70 alike with the next, the ends
    # opposite: all pairwise-close pieces merged at once would make one cluster of all five.
    angles = np.cumsum([0.0, *np.arccos([0.72, 0.70, 0.72, 0.70])])
    arc = np.stack([np.cos(angles), np.sin(angles)], axis=1).astype(np.float32)
    merged = _merge_close_groups(arc, [[i] for i in range(5)], merge_similarity=0.65)
    assert merged == [[0, 1], [2, 3], [4]]
    assert _merge_close_groups(arc, [[i] for i in range(5)], merge_similarity=0.75) == [
        [0], [1], [2], [3], [4]]


def test_neighbours_are_most_similar_first_and_never_the_row_itself() -> None:
    vectors, _ = topics([5, 5])
    neighbours = dense_neighbours(vectors, 3)
    for row, (indices, similarities) in enumerate(zip(neighbours.indices,
                                                      neighbours.similarities, strict=True)):
        assert row not in indices
        assert list(similarities) == sorted(similarities, reverse=True)
    assert (dense_neighbours(vectors[:1], 3).indices == -1).all()


def test_new_keywords_join_the_nearest_cluster_or_form_new_ones() -> None:
    vectors, labels = topics([6, 6, 6])
    existing = np.concatenate([vectors[0:4], vectors[6:10]])  # topics 0 and 1 exist
    new_rows = [4, 5, 10, 11, 12, 13, 14, 15, 16, 17]
    placement = place_by_embeddings([4, 4], existing, vectors[new_rows])
    assert placement.joined[:4] == [0, 0, 1, 1]
    assert placement.joined[4:] == [-1] * 6
    assert placement.new_groups == [[4, 5, 6, 7, 8, 9]]
    assert {labels[new_rows[i]] for i in placement.new_groups[0]} == {2}


def test_the_same_input_gives_the_same_clusters() -> None:
    vectors, _ = topics([10, 10, 3], seed=3)
    assert group_embeddings(vectors) == group_embeddings(vectors.copy())
    assert place_by_embeddings([], vectors[:0], vectors).joined == [-1] * 23
