"""Subjects the gateway listens to, each mapped to its handler."""

from __future__ import annotations

from igny8_contracts.billing import AccountPlanChanged
from igny8_gateway.app import service
from igny8_gateway.service_layer.plans import apply_plan_change
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.handling import HandlerContext


@service.on_event(AccountPlanChanged, "apply-plan-limits")
async def on_account_plan_changed(event: AccountPlanChanged, uow: GatewayUnitOfWork,
                                  ctx: HandlerContext) -> None:
    """Keeps the account's plan and its limits (max sites, max users) as billing set them."""
    await apply_plan_change(event, uow)
