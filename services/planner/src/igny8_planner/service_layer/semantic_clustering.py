"""The semantic clustering method's part of an auto-cluster operation: embed the keywords
with the account's provider (through the AI engine's limits and retries), place them on the
embeddings, and settle the run's credits (billing's ``clustering`` price, one per run,
reserved by the gateway under the operation id)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Final

from igny8_ai import AIFunctionFailed, OperationResult, UsageRecord
from igny8_contracts.planner import AutoClusterKeywords
from igny8_planner.domain.clustering.incremental import Placement
from igny8_planner.domain.clustering.semantic import (
    MAX_SEMANTIC_KEYWORDS,
    Matrix,
    place_by_embeddings,
)
from igny8_planner.service_layer.ai_usage import report_usage
from igny8_planner.service_layer.uow import PlannerUnitOfWork

BILLING_OPERATION_TYPE: Final = "clustering"  # billing's price table: credits per run

Embed = Callable[[list[str]], Awaitable[OperationResult[Matrix]]]
"""Unit-length embeddings of the texts, one row each (``igny8_ai.embeddings.embed_texts``)."""


class SemanticClusteringFailed(Exception):  # noqa: N818 - says what happened
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def reservation_key(command: AutoClusterKeywords) -> str:
    """The gateway reserves a semantic run's credits under the operation id."""
    return str(command.operation_id)


async def placement(existing: list[list[str]], targets: list[str],
                    embed: Embed) -> tuple[Placement, UsageRecord]:
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
    found = await asyncio.to_thread(place_by_embeddings, [len(m) for m in existing],
                                    matrix[:len(old)], matrix[len(old):])
    return found, outcome.usage


def settle(uow: PlannerUnitOfWork, command: AutoClusterKeywords, usage: UsageRecord | None, *,
           clustered: bool) -> None:
    """The run's usage event: one run charged when it clustered, else the credits released."""
    report_usage(uow, operation_id=command.operation_id, reservation_key=reservation_key(command),
                 account_id=command.account_id, operation_type=BILLING_OPERATION_TYPE,
                 usage=usage, quantity=1 if clustered else 0, succeeded=clustered)
