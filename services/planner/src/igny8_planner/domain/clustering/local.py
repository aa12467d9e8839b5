"""The local method: keywords placed by meaning on a small static embedding model that runs in
the planner (``adapters.static_embeddings``).

The placement is the semantic method's (new keywords join the nearest existing cluster, the
rest group by label propagation on a nearest-neighbour graph, pieces of one topic merge), with
settings calibrated for the local model, and keywords left alone adopted by a cluster they
clearly belong to. ``Embed`` is given by the caller, so this stays free of I/O.

The vectors are centred first (the mean of the keywords placed together is taken out, then each
row is unit length again). A sector's keywords share its theme ("running" in every keyword of a
running site): in a static model that shared part makes every pair alike, so topics that differ
only in what is left ("trail gear" and "marathon training") chain into one. Without the shared
part a random pair is about 0 alike whatever the sector, so one set of thresholds serves short
keywords and longer texts alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from igny8_planner.domain.clustering.granularity import ClusterTarget
from igny8_planner.domain.clustering.grouping import GroupingSettings
from igny8_planner.domain.clustering.incremental import Placement
from igny8_planner.domain.clustering.semantic import place_by_embeddings

Matrix = npt.NDArray[np.float32]
Embed = Callable[[Sequence[str]], Matrix]
"""Unit-length rows, one per text (``StaticEmbedder.embed``)."""

# Calibrated on ONE labelled set (tweet: NMI over a grid of edge 0.2-0.5, merge 0.5-0.7 and
# adoption none/0.4 on centred vectors; join 0.3-0.5 with half the texts clustered first), with
# the keyword sample in shared/data/keywords as the check that no cluster mixes topics (which
# pulls the edge up from tweet's best, 0.3, and the join up from its best, 0.3); held out:
# search_snippets. Figures in bench/README.md. Centred, the model's cosines are: random pairs
# about 0 alike, a text's nearest neighbour ~0.70-0.74, its 10th ~0.52.
LOCAL_GROUPING: Final = GroupingSettings(neighbours=10, min_similarity=0.35)
LOCAL_MERGE_SIMILARITY: Final = 0.5
LOCAL_JOIN_SIMILARITY: Final = 0.35
LOCAL_ADOPT_SIMILARITY: Final = 0.4
CENTRING_ROWS: Final = 50


def centred(vectors: Matrix) -> Matrix:
    """Rows less their mean, unit length again (a row equal to the mean becomes zero).

    The mean is shrunk for few rows (``n / (n + CENTRING_ROWS)`` of it is taken out): the
    mean of a handful of keywords is their topic, not the sector's theme, and taking all of it
    out would leave only their modifiers to compare."""
    count = vectors.shape[0]
    if count == 0:
        return vectors
    share = count / (count + CENTRING_ROWS)
    shifted = vectors - (share * vectors.mean(axis=0, dtype=np.float64)).astype(np.float32)
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    unit: Matrix = np.divide(shifted, norms, out=np.zeros_like(shifted), where=norms > 1e-6)
    return unit


def place_locally(existing: Sequence[Sequence[str]], new_texts: Sequence[str], embed: Embed,
                  target: ClusterTarget | None = None) -> Placement:
    """``existing`` holds each existing cluster's member texts.

    The new keywords are placed in the order of their texts (and the result mapped back), so
    the order they come in cannot decide a tie in label propagation."""
    chosen = target or ClusterTarget()
    if not new_texts:
        return Placement([])
    order = sorted(range(len(new_texts)), key=lambda i: new_texts[i])
    old = [text for members in existing for text in members]
    vectors = centred(embed([*old, *(new_texts[i] for i in order)]))
    placed = place_by_embeddings(
        [len(members) for members in existing], vectors[:len(old)], vectors[len(old):],
        LOCAL_JOIN_SIMILARITY, LOCAL_GROUPING,
        merge_similarity=chosen.merge_similarity(LOCAL_MERGE_SIMILARITY),
        adopt_similarity=LOCAL_ADOPT_SIMILARITY, count=chosen.count, largest=chosen.largest())
    joined = [-1] * len(new_texts)
    for position, cluster in zip(order, placed.joined, strict=True):
        joined[position] = cluster
    groups = [sorted(order[i] for i in group) for group in placed.new_groups]
    return Placement(joined, sorted(groups, key=lambda members: members[0]))
