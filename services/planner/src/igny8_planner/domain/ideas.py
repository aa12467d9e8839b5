"""Shaping content ideas (pure): which page an idea becomes in its cluster, its content type,
its estimated length, and which of the cluster's keywords it targets.

The first idea of a cluster is the page the cluster's other articles link to: a landing page
when the cluster's searchers mean to buy, a pillar page when the topic is broad, else a
cluster hub. The others are supporting pages.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from igny8_contracts.planner import IdeaContentType, IdeaStructure, TargetKeyword

PILLAR_MIN_KEYWORDS: Final = 15
BUYING_INTENTS: Final = frozenset({"commercial", "transactional"})
BASE_WORDS: Final[dict[str, int]] = {
    "pillar_page": 3000, "cluster_hub": 2000, "landing_page": 1000, "supporting_page": 1200}
WORDS_PER_EXTRA_KEYWORD: Final = 150
MAX_ESTIMATED_WORDS: Final = 5000
MAX_TARGET_KEYWORDS: Final = 10


@dataclass(frozen=True)
class ClusterKeyword:
    id: uuid.UUID
    keyword: str


@dataclass(frozen=True)
class ClusterSource:
    """A cluster as idea generation sees it; keywords by descending volume."""

    id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    name: str
    keyword_count: int
    dominant_intent: str | None
    keywords: tuple[ClusterKeyword, ...]


def structure_for(position: int, cluster: ClusterSource) -> IdeaStructure:
    """``position``: the idea's place among its cluster's new ideas (0 = first)."""
    if position > 0:
        return "supporting_page"
    if cluster.dominant_intent in BUYING_INTENTS:
        return "landing_page"
    if cluster.keyword_count >= PILLAR_MIN_KEYWORDS:
        return "pillar_page"
    return "cluster_hub"


def content_type_for(structure: IdeaStructure, title: str) -> IdeaContentType:
    if structure == "landing_page":
        return "page"
    if structure in ("pillar_page", "cluster_hub"):
        return "guide"
    return "tutorial" if title.lower().startswith("how to") else "blog_post"


def estimated_words(structure: IdeaStructure, target_keywords: int) -> int:
    extra = max(0, target_keywords - 1) * WORDS_PER_EXTRA_KEYWORD
    return min(MAX_ESTIMATED_WORDS, BASE_WORDS[structure] + extra)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def target_keywords(texts: Sequence[str], cluster: ClusterSource | None) -> list[TargetKeyword]:
    """The texts as target keywords, in order, without repeats: a text that is one of the
    cluster's keywords gets its id and spelling. An idea with no text targets the cluster's
    leading keyword."""
    known = {_key(k.keyword): k for k in cluster.keywords} if cluster else {}
    chosen: dict[str, TargetKeyword] = {}
    for text in texts:
        key = _key(text)
        if not key or key in chosen:
            continue
        match = known.get(key)
        chosen[key] = (TargetKeyword(id=match.id, keyword=match.keyword) if match
                       else TargetKeyword(keyword=" ".join(text.split())[:255]))
    if not chosen and cluster and cluster.keywords:
        lead = cluster.keywords[0]
        return [TargetKeyword(id=lead.id, keyword=lead.keyword)]
    return list(chosen.values())[:MAX_TARGET_KEYWORDS]


def unique_names(clusters: Sequence[ClusterSource]) -> list[str]:
    """Names to send to the AI, one per cluster, distinct (the answer is matched by name)."""
    used: set[str] = set()
    names = []
    for cluster in clusters:
        base = " ".join(cluster.name.split()) or "Untitled"
        name, number = base, 1
        while _key(name) in used:
            number += 1
            name = f"{base} ({number})"
        used.add(_key(name))
        names.append(name)
    return names


@dataclass(frozen=True)
class AnsweredIdea:
    """One idea as the AI proposed it: the (sent) name of its cluster, and its texts."""

    cluster: str
    title: str
    description: str
    target_keywords: Sequence[str]


@dataclass(frozen=True)
class ShapedIdea:
    cluster: ClusterSource
    title: str
    description: str
    content_structure: IdeaStructure
    content_type: IdeaContentType
    target_keywords: list[TargetKeyword]
    estimated_word_count: int


def shape_ideas(answered: Sequence[AnsweredIdea], clusters_by_name: dict[str, ClusterSource],
                per_cluster: int) -> list[ShapedIdea]:
    """At most ``per_cluster`` ideas per cluster (what was paid for), each given its page
    structure, content type, target keywords and estimated length."""
    placed: dict[uuid.UUID, int] = {}
    shaped = []
    for idea in answered:
        cluster = clusters_by_name.get(idea.cluster)
        if cluster is None or placed.get(cluster.id, 0) >= per_cluster:
            continue
        position = placed.get(cluster.id, 0)
        placed[cluster.id] = position + 1
        structure = structure_for(position, cluster)
        targets = target_keywords(idea.target_keywords, cluster)
        shaped.append(ShapedIdea(
            cluster=cluster, title=idea.title[:255], description=idea.description[:5000],
            content_structure=structure, content_type=content_type_for(structure, idea.title),
            target_keywords=targets, estimated_word_count=estimated_words(structure, len(targets))))
    return shaped
