"""200 reservations at once, each in its own transaction on its own connection (in-process,
against real PostgreSQL): the account's row lock lets exactly as many through as its credits
cover, and the ledger and holds stay consistent."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest

from igny8_billing.adapters.orm import inbox, outbox
from igny8_billing.domain.pricing import PriceTable
from igny8_billing.service_layer import handlers, reservations
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_contracts.billing import ReserveCredits
from igny8_contracts.identity import AccountCreated
from igny8_contracts.messages import QueryResult
from igny8_runtime.db import Database
from igny8_runtime.handling import as_query_result

pytestmark = pytest.mark.integration


@pytest.fixture
async def new_uow(billing_url: str) -> AsyncIterator[Callable[[], BillingUnitOfWork]]:
    # Up to 70 connections: more than the 50 reservations the credits cover can race.
    db = Database.connect(billing_url, "billing", pool_size=35)
    yield lambda: BillingUnitOfWork(db, outbox, inbox, "billing")
    await db.dispose()


async def test_200_racing_reservations_on_credits_for_50_grant_exactly_50(
    new_uow, checked_ledger
) -> None:
    account_id = uuid.uuid4()
    async with new_uow() as uow:
        await handlers.open_balance(AccountCreated(
            account_id=account_id, name="Acme", owner_user_id=uuid.uuid4(),
            owner_email="o@acme.test", plan_slug="free"), uow)
        await uow.commit()

    async def reserve(n: int) -> QueryResult:
        request = ReserveCredits(account_id=account_id, reservation_key=f"op-{n}",
                                 operation_type="image_basic", max_quantity=2)
        async with new_uow() as uow:
            return as_query_result(
                await reservations.reserve(request, uow, PriceTable(), datetime.now(UTC)))

    async def warm_connection() -> None:
        async with new_uow() as uow:
            await uow.billing.held_credits(account_id)

    # Open every pooled connection first, so the 200 race instead of queueing on connects.
    await asyncio.gather(*(warm_connection() for _ in range(70)))
    results = await asyncio.gather(*(reserve(n) for n in range(200)))
    assert sum(r.ok for r in results) == 50
    assert {r.error.status for r in results if r.error is not None} == {402}
    held = checked_ledger.scalar(
        "SELECT sum(credits_held) FROM billing.holds WHERE account_id = :a", a=account_id)
    assert held == 100
