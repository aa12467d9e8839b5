"""The semantic clustering method's part of an auto-cluster operation: embed the keywords
with the account's provider (through the AI engine's limits and retries), place them on the
embeddings (the run's credits are settled by ``ai_usage.settle_clustering_run``)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable

from igny8_ai import AIFunctionFailed, OperationResult, Phase, UsageRecord
from igny8_ai.embeddings import embed_texts
from igny8_planner.adapters.account_models import AccountModel
from igny8_planner.domain.clustering.granularity import ClusterTarget
from igny8_planner.domain.clustering.incremental import Placement
from igny8_planner.domain.clustering.semantic import (
    MAX_SEMANTIC_KEYWORDS,
    SEMANTIC_MERGE_SIMILARITY,
    Matrix,
    place_by_embeddings,
)
from igny8_runtime.handling import Progress
from igny8_runtime.operations import OperationReporter

Embed = Callable[[list[str]], Awaitable[OperationResult[Matrix]]]
"""Unit-length embeddings of the texts, one row each (``igny8_ai.embeddings.embed_texts``)."""


def embedder(model: AccountModel, reporter: OperationReporter, progress: Progress) -> Embed:
    """``Embed`` on the account's model, its progress reported as 10-80 % of the operation."""

    async def on_progress(phase: Phase, percent: int, message: str) -> None:
        await progress(reporter, str(phase), 10 + percent * 7 // 10, message)

    async def embed(texts: list[str]) -> OperationResult[Matrix]:
        return await embed_texts(model.engine, texts, model.context(on_progress=on_progress),
                                 operation_type="clustering")

    return embed


class SemanticClusteringFailed(Exception):  # noqa: N818 - says what happened
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def placement(existing: list[list[str]], targets: list[str], embed: Embed,
                    target: ClusterTarget | None = None) -> tuple[Placement, UsageRecord]:
    """Where each target keyword goes; raises SemanticClusteringFailed."""
    old = [text for members in existing for text in members]
    if len(old) + len(targets) > MAX_SEMANTIC_KEYWORDS:
        raise SemanticClusteringFailed(
            f"The semantic method handles at most {MAX_SEMANTIC_KEYWORDS:,} keywords (with "
            "those of the sector's existing clusters); use the local method, or cluster "
            "fewer keywords at once.")
    try:
        outcome = await embed([*old, *targets])
    except AIFunctionFailed as failed:
        raise SemanticClusteringFailed(f"Embedding the keywords failed: {failed.reason}") from failed
    matrix = outcome.result
    chosen = target or ClusterTarget()
    found = await asyncio.to_thread(functools.partial(
        place_by_embeddings, [len(m) for m in existing], matrix[:len(old)], matrix[len(old):],
        merge_similarity=chosen.merge_similarity(SEMANTIC_MERGE_SIMILARITY),
        count=chosen.count))
    return found, outcome.usage
