"""The k most similar other rows of each row, by sparse matrix products in chunks.

A full similarity matrix of 100,000 keywords would hold 10^10 cells; multiplying a chunk of rows
by the transposed matrix keeps only ``chunk x n`` sparse cells alive at once, and terms shared
by a large share of all keywords (stop words, frequent n-grams) are left out of the product
because they make almost every pair a candidate while adding little similarity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

CHUNK_ROWS: Final = 2_000
# A term in more than this share of the rows (and more than COMMON_TERM_MIN_ROWS rows) is too
# common to make two keywords candidate neighbours.
COMMON_TERM_SHARE: Final = 0.02
COMMON_TERM_MIN_ROWS: Final = 200


@dataclass(frozen=True)
class Neighbours:
    """``indices[i]`` are row i's neighbours, most similar first; -1 pads missing ones."""

    indices: npt.NDArray[np.int64]
    similarities: npt.NDArray[np.float32]


def nearest_neighbours(vectors: sp.csr_matrix, k: int) -> Neighbours:
    n = vectors.shape[0]
    indices = np.full((n, k), -1, dtype=np.int64)
    similarities = np.zeros((n, k), dtype=np.float32)
    candidates = _without_common_terms(vectors)
    transposed = candidates.T.tocsr()
    for start in range(0, n, CHUNK_ROWS):
        stop = min(n, start + CHUNK_ROWS)
        product = (candidates[start:stop] @ transposed).tocsr()
        _clear_self(product, start)
        product.eliminate_zeros()
        _keep_top(product, k, indices[start:stop], similarities[start:stop])
        _rescore(vectors, start, indices[start:stop], similarities[start:stop])
    return Neighbours(indices, similarities)


def _without_common_terms(vectors: sp.csr_matrix) -> sp.csr_matrix:
    n = vectors.shape[0]
    document_frequency = np.bincount(vectors.indices, minlength=vectors.shape[1])
    limit = max(COMMON_TERM_MIN_ROWS, int(COMMON_TERM_SHARE * n))
    kept = document_frequency <= limit
    if kept.all():
        return vectors
    mask = sp.diags(kept.astype(np.float32))
    pruned: sp.csr_matrix = (vectors @ mask).tocsr()
    return pruned


def _rescore(vectors: sp.csr_matrix, offset: int, indices: npt.NDArray[np.int64],
             similarities: npt.NDArray[np.float32]) -> None:
    """Exact cosines (with the common terms) for the candidates, most similar first again."""
    rows, slots = np.nonzero(indices >= 0)
    if len(rows) == 0:
        return
    exact = np.asarray(vectors[rows + offset].multiply(vectors[indices[rows, slots]])
                       .sum(axis=1)).ravel()
    similarities[rows, slots] = exact
    order = np.lexsort((indices, -similarities), axis=1)
    indices[:] = np.take_along_axis(indices, order, axis=1)
    similarities[:] = np.take_along_axis(similarities, order, axis=1)


def _clear_self(product: sp.csr_matrix, offset: int) -> None:
    rows = np.repeat(np.arange(product.shape[0]), np.diff(product.indptr))
    product.data[product.indices == rows + offset] = 0.0


def _keep_top(product: sp.csr_matrix, k: int, indices: npt.NDArray[np.int64],
              similarities: npt.NDArray[np.float32]) -> None:
    for row in range(product.shape[0]):
        begin, end = product.indptr[row], product.indptr[row + 1]
        if begin == end:
            continue
        values = product.data[begin:end]
        columns = product.indices[begin:end]
        # Ties broken by column so the result never depends on the product's internal order.
        order = np.lexsort((columns, -values))[:k]
        indices[row, : len(order)] = columns[order]
        similarities[row, : len(order)] = values[order]
