"""Billing's handlers on the in-memory unit of work (no NATS, no PostgreSQL): opening a balance,
reserving, settling, releasing, changing plan. The same flows run against the real service in
the other modules of this folder."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from igny8_billing.app import load
from igny8_billing.domain.holds import HoldStatus
from igny8_billing.domain.model import Pool
from igny8_billing.domain.pricing import PriceTable
from igny8_billing.entrypoints.messages import on_change_plan
from igny8_billing.service_layer import handlers, periods, queries, reservations
from igny8_contracts import Envelope, QueryResult
from igny8_contracts.billing import (
    AccountPlanChanged,
    BalanceDetails,
    ChangePlan,
    CreditBalanceOpened,
    CreditQuote,
    CreditsDebited,
    QuoteCredits,
    QuoteItem,
    ReleaseReservation,
    Reservation,
    ReserveCredits,
)
from igny8_contracts.identity import AccountCreated
from igny8_contracts.usage import PlannerAiUsageRecorded, WriterAiUsageRecorded
from igny8_runtime.consumers import Reject
from igny8_runtime.handling import HandlerContext
from services.billing.tests.fakes import FakeBillingUnitOfWork

PRICES = PriceTable()
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def account_created(account_id: uuid.UUID, plan_slug: str = "free") -> AccountCreated:
    return AccountCreated(account_id=account_id, name="Acme", owner_user_id=uuid.uuid4(),
                          owner_email="owner@acme.test", plan_slug=plan_slug)


async def opened(uow: FakeBillingUnitOfWork) -> uuid.UUID:
    """A new account on the free plan (100 credits)."""
    account_id = uuid.uuid4()
    async with uow:
        await handlers.open_balance(account_created(account_id), uow)
        await uow.commit()
    return account_id


async def reserve(uow: FakeBillingUnitOfWork, account_id: uuid.UUID, key: str,
                  operation_type: str = "image_basic", quantity: int | None = 2,
                  max_credits: int | None = None) -> Reservation | QueryResult:
    request = ReserveCredits(account_id=account_id, reservation_key=key,
                             operation_type=operation_type,
                             max_quantity=None if max_credits else quantity,
                             max_credits=max_credits)
    async with uow:
        return await reservations.reserve(request, uow, PRICES, NOW)


def usage(account_id: uuid.UUID, key: str, quantity: int, operation_id: str = "op-1",
          succeeded: bool = True) -> WriterAiUsageRecorded:
    return WriterAiUsageRecorded(operation_id=operation_id, reservation_key=key,
                                 account_id=account_id, operation_type="image_basic",
                                 quantity=quantity, succeeded=succeeded)


async def settle(uow: FakeBillingUnitOfWork, event: WriterAiUsageRecorded) -> None:
    async with uow:
        await reservations.settle_usage(event, uow, PRICES, low_threshold=20)
        await uow.commit()


async def test_account_created_opens_the_plans_balance_once() -> None:
    uow = FakeBillingUnitOfWork()
    account_id = uuid.uuid4()
    for _ in range(2):
        async with uow:
            await handlers.open_balance(account_created(account_id), uow)
            await uow.commit()
    account = await uow.billing.account(account_id)
    assert account is not None and (account.plan_slug, account.plan_credits) == ("free", 100)
    assert len(uow.ledger.transactions_of(account_id, "plan_grant")) == 1
    assert [type(e) for e in uow.committed_events] == [CreditBalanceOpened]
    assert uow.committed_events[0].credits == 100  # type: ignore[attr-defined]


async def test_an_unknown_plan_is_rejected() -> None:
    uow = FakeBillingUnitOfWork()
    with pytest.raises(Reject, match="unknown plan"):
        async with uow:
            await handlers.open_balance(account_created(uuid.uuid4(), "platinum"), uow)
    assert uow.ledger.accounts == {}


async def test_a_reservation_the_credits_do_not_cover_answers_402_with_available_and_cost(
) -> None:
    uow = FakeBillingUnitOfWork()
    account_id = await opened(uow)
    held = await reserve(uow, account_id, "first", max_credits=80)
    assert isinstance(held, Reservation)
    assert (held.credits_held, held.available_after, held.status) == (80, 20, "open")

    refused = await reserve(uow, account_id, "second", max_credits=30)
    assert isinstance(refused, QueryResult) and refused.error is not None
    assert refused.error.status == 402
    assert refused.error.errors == {"available": ["20"], "cost": ["30"], "balance": ["100"]}
    assert await uow.billing.held_credits(account_id) == (80, 1)


async def test_a_quote_prices_every_item_as_its_reservation_and_holds_nothing() -> None:
    uow = FakeBillingUnitOfWork()
    account_id = await opened(uow)
    assert isinstance(await reserve(uow, account_id, "running", max_credits=90), Reservation)
    # Two articles of 1,800 words at most (4 blocks of 500 each) and three image prompts
    # (0.5 a prompt, priced per started pair: 2) = 10 credits; 10 of 100 are free.
    items = [QuoteItem(operation_type="content", quantity=1800),
             QuoteItem(operation_type="content", quantity=1800),
             QuoteItem(operation_type="image_prompt_extraction", quantity=3)]
    async with uow:
        quoted = await queries.quote(QuoteCredits(account_id=account_id, items=items), uow,
                                     PRICES)
    assert quoted == CreditQuote(credits=10, available_credits=10, enough=True)
    async with uow:
        more = await queries.quote(QuoteCredits(account_id=account_id, items=items * 2), uow,
                                   PRICES)
    assert more == CreditQuote(credits=20, available_credits=10, enough=False)
    assert await uow.billing.held_credits(account_id) == (90, 1)

    async with uow:
        unknown = await queries.quote(QuoteCredits(
            account_id=account_id, items=[QuoteItem(operation_type="magic", quantity=1)]),
            uow, PRICES)
    assert isinstance(unknown, QueryResult) and unknown.error is not None
    assert unknown.error.status == 400 and "operation_type" in (unknown.error.errors or {})


async def test_reserving_the_same_key_again_answers_the_same_hold() -> None:
    uow = FakeBillingUnitOfWork()
    account_id = await opened(uow)
    first = await reserve(uow, account_id, "op")
    again = await reserve(uow, account_id, "op")
    assert isinstance(first, Reservation) and isinstance(again, Reservation)
    assert again.id == first.id
    assert await uow.billing.held_credits(account_id) == (2, 1)


async def test_usage_is_settled_exactly_once_and_the_rest_released() -> None:
    uow = FakeBillingUnitOfWork()
    account_id = await opened(uow)
    await reserve(uow, account_id, "img", quantity=3)  # 3 images: 3 credits held

    await settle(uow, usage(account_id, "img", 1))
    await settle(uow, usage(account_id, "img", 1))  # the same report, delivered again

    assert uow.ledger.balance(account_id)[Pool.PLAN] == 99
    assert len(uow.ledger.transactions_of(account_id, "usage")) == 1
    hold = await uow.holds.by_key(account_id, "img")
    assert hold is not None
    assert (hold.status, hold.credits_captured) == (HoldStatus.CAPTURED, 1)
    assert await uow.billing.held_credits(account_id) == (0, 0)
    debits = [e for e in uow.committed_events if isinstance(e, CreditsDebited)]
    assert [(d.credits, d.plan_credits) for d in debits] == [(1, 99)]


async def test_another_operations_report_on_a_settled_hold_is_rejected() -> None:
    uow = FakeBillingUnitOfWork()
    account_id = await opened(uow)
    await reserve(uow, account_id, "img")
    await settle(uow, usage(account_id, "img", 1, operation_id="op-1"))
    with pytest.raises(Reject, match="already settled"):
        await settle(uow, usage(account_id, "img", 1, operation_id="op-2"))
    assert uow.ledger.balance(account_id)[Pool.PLAN] == 99


async def test_a_failed_operation_releases_its_hold_without_charge() -> None:
    uow = FakeBillingUnitOfWork()
    account_id = await opened(uow)
    await reserve(uow, account_id, "img")
    await settle(uow, usage(account_id, "img", 2, succeeded=False))
    assert uow.ledger.balance(account_id)[Pool.PLAN] == 100
    assert uow.ledger.transactions_of(account_id, "usage") == []
    assert await uow.billing.held_credits(account_id) == (0, 0)
    assert not any(isinstance(e, CreditsDebited) for e in uow.committed_events)


async def test_release_gives_the_credits_back_once() -> None:
    uow = FakeBillingUnitOfWork()
    account_id = await opened(uow)
    await reserve(uow, account_id, "op", max_credits=60)
    request = ReleaseReservation(account_id=account_id, reservation_key="op")
    for _ in range(2):
        async with uow:
            released = await reservations.release(request, uow, NOW)
        assert isinstance(released, Reservation)
        assert (released.status, released.available_after) == ("released", 100)
    assert await uow.billing.held_credits(account_id) == (0, 0)

    async with uow:
        unknown = await reservations.release(
            ReleaseReservation(account_id=account_id, reservation_key="never"), uow, NOW)
    assert isinstance(unknown, QueryResult) and unknown.error is not None
    assert unknown.error.status == 404


def context(envelope: Envelope) -> HandlerContext:
    """A handler's context with no running service behind it (enough for ``envelope``)."""
    runtime: Any = None
    return HandlerContext(envelope, runtime)


async def test_change_plan_starts_a_period_with_the_new_plans_credits() -> None:
    uow = FakeBillingUnitOfWork()
    account_id = await opened(uow)
    request = ChangePlan(account_id=account_id, plan_slug="starter", requested_by=uuid.uuid4())
    envelope = Envelope.wrap(request, source="igny8/gateway", correlation_id="c",
                             account_id=account_id)
    async with uow:
        details = await on_change_plan(request, uow, context(envelope))
    assert isinstance(details, BalanceDetails)
    assert (details.plan_slug, details.plan_credits, details.total_credits) == (
        "starter", 1000, 1000)
    # Keyed by the request's envelope: a redelivered request cannot apply twice.
    assert await uow.billing.transaction_exists(f"plan_change:{envelope.id}")
    assert uow.committed_events[-1] == AccountPlanChanged(
        account_id=account_id, plan_slug="starter", max_sites=3, max_users=3)


@pytest.mark.parametrize(("plan_slug", "status"), [("free", 409), ("platinum", 400)])
async def test_change_plan_refuses_the_current_or_an_unknown_plan(plan_slug: str,
                                                                  status: int) -> None:
    uow = FakeBillingUnitOfWork()
    account_id = await opened(uow)
    async with uow:
        refused = await periods.change_plan(
            ChangePlan(account_id=account_id, plan_slug=plan_slug, requested_by=uuid.uuid4()),
            uow, uuid.uuid4(), NOW)
    assert isinstance(refused, QueryResult) and refused.error is not None
    assert refused.error.status == status
    assert refused.error.errors is not None and "plan_slug" in refused.error.errors
    assert uow.ledger.transactions_of(account_id, "plan_change") == []


def test_the_consumers_keep_their_durable_names() -> None:
    """JetStream consumers are named by these: a new name would be a new consumer."""
    durables = {sub.durable: sub.message_type for sub in load().subscriptions}
    assert durables == {"billing--open-balance": AccountCreated,
                        "billing--settle-planner-usage": PlannerAiUsageRecorded,
                        "billing--settle-writer-usage": WriterAiUsageRecorded}
