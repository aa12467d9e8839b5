"""Billing's periodic jobs: release overdue reservations, renew ended periods. Both are
idempotent and safe with several billing replicas running them at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from igny8_billing.service_layer.periods import renew_due_accounts
from igny8_billing.service_layer.reservations import expire_overdue
from igny8_billing.service_layer.uow import BillingUnitOfWork


async def expire_holds_once(new_uow: Callable[[], BillingUnitOfWork], limit: int) -> int:
    async with new_uow() as uow:
        return await expire_overdue(uow, datetime.now(UTC), limit)


async def renew_periods_once(new_uow: Callable[[], BillingUnitOfWork], limit: int) -> int:
    return await renew_due_accounts(new_uow, datetime.now(UTC), limit)
