"""Reserving credits before an AI operation, settling them by its usage report, and
releasing what is never settled. Every change locks the credit account's row first, so
concurrent reservations see each other's holds and can never overdraw."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from igny8_billing.domain.holds import (
    Hold,
    HoldStatus,
    InsufficientCredits,
    SettlementRefused,
    available_credits,
    check_capture,
    ensure_affordable,
)
from igny8_billing.domain.ledger import usage_debit
from igny8_billing.domain.model import CreditAccount
from igny8_billing.domain.pricing import PriceTable, UnknownOperation
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_contracts.billing import (
    CreditsDebited,
    CreditsExhausted,
    CreditsLow,
    ReleaseReservation,
    Reservation,
    ReservationExpired,
    ReserveCredits,
)
from igny8_contracts.messages import QueryResult
from igny8_contracts.usage import AiUsage
from igny8_runtime.consumers import Reject
from igny8_runtime.logging import get_logger

log = get_logger(__name__)


def _reply(hold: Hold, available_after: int) -> Reservation:
    return Reservation(
        id=hold.id, account_id=hold.account_id, reservation_key=hold.reservation_key,
        operation_type=hold.operation_type, credits_held=hold.credits_held,
        status=hold.status.value, expires_at=hold.expires_at,
        available_after=max(0, available_after))


async def reserve(request: ReserveCredits, uow: BillingUnitOfWork, prices: PriceTable,
                  now: datetime) -> Reservation | QueryResult:
    account = await uow.billing.account(request.account_id, lock=True)
    if account is None:
        return QueryResult.failure(404, "No credit balance for this account.")
    existing = await uow.holds.by_key(request.account_id, request.reservation_key)
    held, _ = await uow.billing.held_credits(request.account_id)
    if existing is not None:
        return _reply(existing, available_credits(account.total_credits, held))
    try:
        priced = prices.cost(request.operation_type, request.max_quantity or 0)
        cost = request.max_credits if request.max_credits is not None else priced
        ensure_affordable(account.total_credits, held, cost)
    except UnknownOperation as exc:
        return QueryResult.failure(400, str(exc), {"operation_type": [str(exc)]})
    except InsufficientCredits as exc:
        return QueryResult.failure(402, str(exc), {
            "available": [str(exc.available)], "cost": [str(exc.cost)],
            "balance": [str(account.total_credits)]})
    hold = Hold(uuid.uuid4(), request.account_id, request.reservation_key,
                request.operation_type, cost, HoldStatus.OPEN,
                now + timedelta(seconds=request.ttl_seconds))
    await uow.holds.add(hold)
    await uow.commit()
    return _reply(hold, available_credits(account.total_credits, held + cost))


async def release(request: ReleaseReservation, uow: BillingUnitOfWork,
                  now: datetime) -> Reservation | QueryResult:
    account = await uow.billing.account(request.account_id, lock=True)
    hold = await uow.holds.by_key(request.account_id, request.reservation_key, lock=True)
    if account is None or hold is None:
        return QueryResult.failure(404, "No such reservation.")
    if hold.status is HoldStatus.OPEN:
        await uow.holds.settle(hold, HoldStatus.RELEASED, now)
        await uow.commit()
    held, _ = await uow.billing.held_credits(request.account_id)
    return _reply(hold, available_credits(account.total_credits, held))


async def settle_usage(event: AiUsage, uow: BillingUnitOfWork, prices: PriceTable,
                       low_threshold: int) -> None:
    """Capture the actual cost from the hold (plan credits first) and release the rest."""
    account = await uow.billing.account(event.account_id, lock=True)
    if account is None:
        raise Reject(f"no credit account {event.account_id}")
    hold = await uow.holds.by_key(event.account_id, event.reservation_key, lock=True)
    if hold is None:
        raise Reject(f"unknown reservation {event.reservation_key!r} for account "
                     f"{event.account_id}")
    try:
        cost = prices.cost(event.operation_type, event.quantity) if event.succeeded else 0
        if not check_capture(hold, event.operation_id, cost):
            log.info("usage already settled", reservation_key=hold.reservation_key)
            return
        if hold.status is not HoldStatus.OPEN:
            # The hold lapsed (or was released) before the report came: the work was done,
            # so charge it if the credits not held by other operations cover it.
            held, _ = await uow.billing.held_credits(event.account_id)
            ensure_affordable(account.total_credits, held, cost)
    except (UnknownOperation, SettlementRefused, InsufficientCredits) as exc:
        raise Reject(str(exc)) from exc
    now = datetime.now(UTC)
    await uow.holds.settle(hold, HoldStatus.CAPTURED, now, operation_id=event.operation_id,
                           captured=cost)
    await uow.holds.record_usage(hold, cost, {
        "operation_id": event.operation_id, "operation_type": event.operation_type,
        "quantity": event.quantity, "provider": event.provider, "model": event.model,
        "prompt_tokens": event.prompt_tokens, "completion_tokens": event.completion_tokens,
        "cost_usd": event.cost_usd, "succeeded": event.succeeded})
    if cost > 0:
        await uow.billing.record(usage_debit(account, hold.id, event.operation_type, cost))
        _announce_debit(uow, account, event, cost, low_threshold)


def _announce_debit(uow: BillingUnitOfWork, account: CreditAccount, event: AiUsage, cost: int,
                    low_threshold: int) -> None:
    before = account.total_credits
    after = before - cost
    from_plan = min(cost, account.plan_credits)
    uow.emit(CreditsDebited(
        account_id=account.account_id, operation_id=event.operation_id,
        operation_type=event.operation_type, credits=cost,
        plan_credits=account.plan_credits - from_plan,
        bonus_credits=account.bonus_credits - (cost - from_plan)),
        account_id=account.account_id)
    if after < low_threshold <= before:
        uow.emit(CreditsLow(account_id=account.account_id, total_credits=after,
                            threshold=low_threshold), account_id=account.account_id)
    if after == 0:
        uow.emit(CreditsExhausted(account_id=account.account_id),
                 account_id=account.account_id)


async def expire_overdue(uow: BillingUnitOfWork, now: datetime, limit: int) -> int:
    """Release the holds no usage report settled in time (a crashed worker)."""
    overdue = await uow.holds.overdue(now, limit)
    for hold in overdue:
        await uow.holds.settle(hold, HoldStatus.EXPIRED, now)
        uow.emit(ReservationExpired(
            account_id=hold.account_id, reservation_id=hold.id,
            reservation_key=hold.reservation_key, credits_released=hold.credits_held),
            account_id=hold.account_id)
    await uow.commit()
    if overdue:
        log.info("reservations expired", count=len(overdue))
    return len(overdue)
