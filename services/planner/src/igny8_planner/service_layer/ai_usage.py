"""The usage event an AI operation of the planner ends with: billing settles the credits
reserved under ``reservation_key`` by it (``quantity`` 0 or ``succeeded`` False releases
them). One per operation, in the operation's transaction."""

from __future__ import annotations

import uuid

from igny8_ai import UsageRecord
from igny8_contracts.planner import AutoClusterKeywords
from igny8_contracts.usage import PlannerAiUsageRecorded
from igny8_planner.service_layer.uow import PlannerUnitOfWork


def report_usage(uow: PlannerUnitOfWork, *, operation_id: uuid.UUID, reservation_key: str,
                 account_id: uuid.UUID, operation_type: str, usage: UsageRecord | None,
                 quantity: int, succeeded: bool) -> None:
    uow.emit(PlannerAiUsageRecorded(
        operation_id=str(operation_id), reservation_key=reservation_key,
        account_id=account_id, operation_type=operation_type, quantity=quantity,
        provider=usage.provider[:100] if usage else "", model=usage.model[:100] if usage else "",
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
        cost_usd=usage.cost_usd if usage else 0, succeeded=succeeded),
        account_id=account_id)


CLUSTERING_BILLING_OPERATION = "clustering"  # billing's price table: credits per AI run


def settle_clustering_run(uow: PlannerUnitOfWork, command: AutoClusterKeywords,
                          usage: UsageRecord | None, *, clustered: bool) -> None:
    """An AI clustering run's usage: one run charged when it clustered, else the credits the
    gateway reserved under the operation id released."""
    report_usage(uow, operation_id=command.operation_id,
                 reservation_key=str(command.operation_id), account_id=command.account_id,
                 operation_type=CLUSTERING_BILLING_OPERATION, usage=usage,
                 quantity=1 if clustered else 0, succeeded=clustered)
