"""The plan limits in force for an account, as billing (their owner) announces them."""

from __future__ import annotations

from igny8_contracts.billing import AccountPlanChanged
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.logging import get_logger

log = get_logger(__name__)


async def apply_plan_change(event: AccountPlanChanged, uow: GatewayUnitOfWork) -> None:
    """Runs inside the consumer's unit of work (it commits)."""
    updated = await uow.accounts.set_plan(event.account_id, event.plan_slug, event.max_sites,
                                          event.max_users)
    if not updated:
        log.warning("plan change for an unknown account ignored",
                    account_id=str(event.account_id))
