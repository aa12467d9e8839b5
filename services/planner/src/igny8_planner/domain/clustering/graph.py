"""Communities of a nearest-neighbour similarity graph, by weighted label propagation.

Why this and not k-means or agglomerative clustering: it needs no number of clusters, every
step is a sparse matrix product (so 100,000 keywords take seconds), and with a fixed visiting
rule (all nodes at once, ties to the smallest label) it is deterministic. Each node starts in
its own community and repeatedly adopts the label carrying the most similarity among its
neighbours, so densely linked groups converge on one label while weak bridges (one shared
generic word) are outvoted.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from igny8_planner.domain.clustering.neighbours import Neighbours

MAX_ROUNDS: Final = 30


def similarity_graph(neighbours: Neighbours, min_similarity: float) -> sp.csr_matrix:
    """Symmetric weighted graph of the neighbour pairs at least ``min_similarity`` alike.

    The neighbour limit is what adapts the graph to the data: a keyword links only to its
    closest few, however many share a generic word with it, so dense topics do not chain into
    one giant component the way a plain similarity threshold would let them.
    """
    n, k = neighbours.indices.shape
    keep = (neighbours.indices >= 0) & (neighbours.similarities >= min_similarity)
    rows = np.repeat(np.arange(n), k).reshape(n, k)[keep]
    graph = sp.csr_matrix((neighbours.similarities[keep].astype(np.float64),
                           (rows, neighbours.indices[keep])), shape=(n, n))
    symmetric: sp.csr_matrix = graph.maximum(graph.T).tocsr()
    return symmetric


def propagate_labels(graph: sp.csr_matrix) -> npt.NDArray[np.int64]:
    """A community label per node (labels are node numbers; isolated nodes keep their own)."""
    n = graph.shape[0]
    labels = np.arange(n, dtype=np.int64)
    # Each node also votes for its own label as strongly as for its best neighbour: without
    # that, updating all nodes at once makes two linked nodes swap labels forever.
    strongest_edge = graph.max(axis=1).toarray().ravel() if n else np.zeros(0)
    voting = (graph + sp.diags(strongest_edge)).tocsr()
    for _ in range(MAX_ROUNDS):
        updated = _strongest_labels(voting, labels)
        if np.array_equal(updated, labels):
            break
        labels = updated
    return labels


def _strongest_labels(graph: sp.csr_matrix, labels: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    n = graph.shape[0]
    membership = sp.csr_matrix((np.ones(n), (np.arange(n), labels)), shape=(n, n))
    votes: sp.csr_matrix = (graph @ membership).tocsr()
    votes.sum_duplicates()
    updated = labels.copy()
    has_votes = np.diff(votes.indptr) > 0
    if not has_votes.any():
        return updated
    starts = votes.indptr[:-1][has_votes]
    row_of_entry = np.repeat(np.arange(n), np.diff(votes.indptr))
    row_max = np.zeros(n)
    row_max[has_votes] = np.maximum.reduceat(votes.data, starts)
    # Ties go to the smallest label, so the outcome never depends on storage order.
    is_best = votes.data >= row_max[row_of_entry] - 1e-9
    candidates = np.where(is_best, votes.indices, n)
    updated[has_votes] = np.minimum.reduceat(candidates, starts)
    return updated
