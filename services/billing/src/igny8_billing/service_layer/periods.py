"""Periods and plans: renewal at period end (exactly once per period, however many times or
replicas run it), the owner's plan change, and a developer's credit adjustment."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from igny8_billing.domain.ledger import Overdraft, adjustment, period_reset
from igny8_billing.domain.model import Pool, add_month
from igny8_billing.service_layer.queries import balance_details
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_contracts.billing import (
    AccountPlanChanged,
    AdjustCredits,
    BalanceDetails,
    ChangePlan,
    CreditsAdjusted,
    LedgerTransactionView,
    PlanRenewed,
)
from igny8_contracts.messages import QueryResult
from igny8_runtime.logging import get_logger

log = get_logger(__name__)


async def renew_account(uow: BillingUnitOfWork, account_id: uuid.UUID, now: datetime) -> bool:
    """Start the account's next period if its current one has ended. True if it renewed."""
    account = await uow.billing.account(account_id, lock=True)
    if account is None or account.period_end > now:
        return False  # another run (or replica) renewed it first
    plan = await uow.billing.plan(account.plan_slug)
    assert plan is not None, "an account's plan always exists (foreign key)"
    start, end = account.period_end, add_month(account.period_end)
    key = f"renewal:{account_id}:{start.isoformat()}"
    held, _ = await uow.billing.held_credits(account_id)
    await uow.billing.record(period_reset(account, plan, held, "renewal", start, key))
    await uow.billing.start_period(account_id, plan.slug, start, end)
    uow.emit(PlanRenewed(account_id=account_id, plan_slug=plan.slug,
                         credits=plan.monthly_credits, period_start=start, period_end=end),
             account_id=account_id)
    await uow.commit()
    return True


async def renew_due_accounts(new_uow: Callable[[], BillingUnitOfWork], now: datetime,
                             limit: int) -> int:
    async with new_uow() as reader:
        due = await reader.billing.accounts_due_for_renewal(now, limit)
    renewed = 0
    for account_id in due:
        try:
            async with new_uow() as uow:
                renewed += await renew_account(uow, account_id, now)
        except IntegrityError:
            # The renewal's idempotency key exists: this period was renewed already.
            log.info("renewal already recorded", account_id=str(account_id))
    return renewed


async def change_plan(request: ChangePlan, uow: BillingUnitOfWork, change_id: uuid.UUID,
                      now: datetime) -> BalanceDetails | QueryResult:
    """The new plan applies at once: a new period starts with its monthly credits."""
    account = await uow.billing.account(request.account_id, lock=True)
    if account is None:
        return QueryResult.failure(404, "No credit balance for this account.")
    plan = await uow.billing.plan(request.plan_slug)
    if plan is None:
        message = f"Unknown plan {request.plan_slug!r}."
        return QueryResult.failure(400, message, {"plan_slug": [message]})
    if plan.slug == account.plan_slug:
        message = f"The account is already on the {plan.name} plan."
        return QueryResult.failure(409, message, {"plan_slug": [message]})
    held, _ = await uow.billing.held_credits(request.account_id)
    await uow.billing.record(period_reset(account, plan, held, "plan_change", now,
                                          f"plan_change:{change_id}"))
    await uow.billing.start_period(account.account_id, plan.slug, now, add_month(now))
    uow.emit(AccountPlanChanged(account_id=account.account_id, plan_slug=plan.slug,
                                max_sites=plan.max_sites, max_users=plan.max_users),
             account_id=account.account_id)
    await uow.commit()
    return await balance_details(request.account_id, uow)


async def adjust_credits(request: AdjustCredits, uow: BillingUnitOfWork,
                         now: datetime) -> LedgerTransactionView | QueryResult:
    """Grant or take back credits (developer only, checked by the gateway), with a reason."""
    account = await uow.billing.account(request.account_id, lock=True)
    if account is None:
        return QueryResult.failure(404, "No credit balance for this account.")
    key = f"adjust:{request.account_id}:{request.idempotency_key}"
    if await uow.billing.transaction_exists(key):
        return QueryResult.failure(409, "This adjustment was already recorded.",
                                   {"idempotency_key": ["already used"]})
    held, _ = await uow.billing.held_credits(request.account_id)
    try:
        transaction = adjustment(account, Pool(request.pool), request.amount, held,
                                 request.reason, key, request.requested_by)
    except Overdraft as exc:
        return QueryResult.failure(400, f"The adjustment would overdraw: {exc}.",
                                   {"amount": [str(exc)]})
    await uow.billing.record(transaction)
    uow.emit(CreditsAdjusted(account_id=request.account_id, pool=request.pool,
                             amount=request.amount, reason=request.reason,
                             requested_by=request.requested_by),
             account_id=request.account_id)
    await uow.commit()
    plan_delta = request.amount if request.pool == "plan" else 0
    return LedgerTransactionView(
        id=transaction.id, kind=transaction.kind, reason=transaction.reason,
        plan_delta=plan_delta, bonus_delta=request.amount - plan_delta,
        created_by=request.requested_by, created_at=now)
