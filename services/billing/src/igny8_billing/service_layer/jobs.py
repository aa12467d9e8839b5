"""Billing's periodic jobs: release overdue reservations, renew ended periods. Both are
idempotent and safe with several billing replicas running them at once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from igny8_billing.service_layer.periods import renew_due_accounts
from igny8_billing.service_layer.reservations import expire_overdue
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_runtime.logging import get_logger

log = get_logger(__name__)


async def every(seconds: float, name: str, job: Callable[[], Awaitable[int]]) -> None:
    """Run ``job`` every ``seconds``; each finished round is logged at debug level (how many
    items it handled), so an operator or a test can see the job is alive and what it did."""
    while True:
        try:
            done = await job()
        except Exception:
            log.exception("periodic job failed; trying again next round", job=name)
        else:
            log.debug("periodic job ran", job=name, done=done)
        await asyncio.sleep(seconds)


async def expire_holds_once(new_uow: Callable[[], BillingUnitOfWork], limit: int) -> int:
    async with new_uow() as uow:
        return await expire_overdue(uow, datetime.now(UTC), limit)


async def renew_periods_once(new_uow: Callable[[], BillingUnitOfWork], limit: int) -> int:
    return await renew_due_accounts(new_uow, datetime.now(UTC), limit)
