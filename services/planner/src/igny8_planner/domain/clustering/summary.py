"""What a cluster is called and what it holds: its most representative keyword (highest
similarity to the cluster's centroid; ties to the higher volume, then the text), a short
description, and its stats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import scipy.sparse as sp

DESCRIPTION_EXAMPLES: Final = 3


@dataclass(frozen=True)
class KeywordPoint:
    """What clustering needs to know about one keyword."""

    text: str
    volume: int | None = None
    difficulty: int | None = None
    intent: str | None = None


@dataclass(frozen=True)
class ClusterStats:
    keyword_count: int
    total_volume: int
    average_difficulty: float | None
    dominant_intent: str | None


@dataclass(frozen=True)
class ClusterSummary:
    members: tuple[int, ...]
    name: str
    description: str
    stats: ClusterStats


def centroid(vectors: sp.csr_matrix, members: Sequence[int]) -> sp.csr_matrix:
    """The unit-length mean of the members' rows (zero if there are none or all are empty)."""
    if len(members) == 0:
        return sp.csr_matrix((1, vectors.shape[1]), dtype=vectors.dtype)
    mean = sp.csr_matrix(vectors[list(members)].mean(axis=0))
    norm = float(np.sqrt(mean.multiply(mean).sum()))
    scaled: sp.csr_matrix = mean / norm if norm > 0 else mean
    return scaled


def by_representativeness(points: Sequence[KeywordPoint], vectors: sp.csr_matrix,
                          members: Sequence[int]) -> list[int]:
    """The members, most representative first."""
    similarity = np.asarray((vectors[list(members)] @ centroid(vectors, members).T)
                            .toarray()).ravel()
    ranked = sorted(range(len(members)), key=lambda i: (
        -round(float(similarity[i]), 6), -(points[members[i]].volume or 0),
        points[members[i]].text))
    return [members[i] for i in ranked]


def summarise(points: Sequence[KeywordPoint], vectors: sp.csr_matrix,
              members: Sequence[int]) -> ClusterSummary:
    ranked = by_representativeness(points, vectors, members)
    name = points[ranked[0]].text
    return ClusterSummary(tuple(sorted(members)), name,
                          describe(name, [points[i].text for i in ranked[1:]]),
                          stats_of([points[i] for i in members]))


def describe(name: str, others_by_rank: Sequence[str]) -> str:
    if not others_by_rank:
        return f"Keywords about “{name}”."
    examples = ", ".join(f"“{text}”" for text in others_by_rank[:DESCRIPTION_EXAMPLES])
    more = len(others_by_rank) - DESCRIPTION_EXAMPLES
    tail = f" and {more} more" if more > 0 else ""
    return f"Keywords about “{name}”, such as {examples}{tail}."


def stats_of(points: Sequence[KeywordPoint]) -> ClusterStats:
    difficulties = [p.difficulty for p in points if p.difficulty is not None]
    intents = Counter(p.intent for p in points if p.intent)
    # Most common intent; a tie goes to the alphabetically first so the result is stable.
    dominant = min(intents, key=lambda i: (-intents[i], i)) if intents else None
    return ClusterStats(
        keyword_count=len(points),
        total_volume=sum(p.volume or 0 for p in points),
        average_difficulty=round(sum(difficulties) / len(difficulties), 2) if difficulties
        else None,
        dominant_intent=dominant,
    )
