"""Billing's handlers: what happens when an event arrives or a query is asked."""

from __future__ import annotations

from datetime import UTC, datetime

from igny8_billing.domain.model import open_credit_account
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_contracts.billing import Balance, CreditBalanceOpened, GetBalance
from igny8_contracts.identity import AccountCreated
from igny8_contracts.messages import QueryResult
from igny8_runtime.consumers import Reject
from igny8_runtime.logging import get_logger

log = get_logger(__name__)


async def open_balance(event: AccountCreated, uow: BillingUnitOfWork) -> None:
    """Open a new account's credit balance with its plan's monthly credits (once)."""
    plan = await uow.billing.plan(event.plan_slug)
    if plan is None:
        raise Reject(f"unknown plan {event.plan_slug!r}")
    account, grant = open_credit_account(event.account_id, plan, datetime.now(UTC))
    if not await uow.billing.add_account(account):
        log.info("credit balance already open", account_id=str(event.account_id))
        return
    await uow.billing.record(grant)
    uow.emit(
        CreditBalanceOpened(
            account_id=account.account_id, plan_slug=plan.slug, credits=plan.monthly_credits,
            period_start=account.period_start, period_end=account.period_end,
        ),
        account_id=account.account_id,
    )


async def get_balance(query: GetBalance, uow: BillingUnitOfWork) -> Balance | QueryResult:
    account = await uow.billing.account(query.account_id)
    if account is None:
        return QueryResult.failure(404, "No credit balance for this account yet.")
    return Balance(
        account_id=account.account_id,
        plan_slug=account.plan_slug,
        plan_credits=account.plan_credits,
        bonus_credits=account.bonus_credits,
        total_credits=account.plan_credits + account.bonus_credits,
        period_start=account.period_start,
        period_end=account.period_end,
    )
