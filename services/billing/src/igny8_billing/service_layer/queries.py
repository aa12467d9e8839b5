"""Answers to billing's read queries (balance details, ledger, usage, plans)."""

from __future__ import annotations

import uuid

from igny8_billing.domain.holds import available_credits
from igny8_billing.domain.pricing import PriceTable, UnknownOperation
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_contracts.billing import (
    BalanceDetails,
    CreditQuote,
    GetUsage,
    ListPlans,
    ListTransactions,
    PlanLimits,
    PlanList,
    QuoteCredits,
    TransactionPage,
    UsageReport,
)
from igny8_contracts.messages import QueryResult


async def balance_details(account_id: uuid.UUID,
                          uow: BillingUnitOfWork) -> BalanceDetails | QueryResult:
    found = await uow.billing.account_with_holds(account_id)
    if found is None:
        return QueryResult.failure(404, "No credit balance for this account yet.")
    account, held, open_holds = found
    return BalanceDetails(
        account_id=account_id, plan_slug=account.plan_slug,
        plan_credits=account.plan_credits, bonus_credits=account.bonus_credits,
        total_credits=account.total_credits, held_credits=held, open_holds=open_holds,
        available_credits=max(0, account.total_credits - held),
        period_start=account.period_start, period_end=account.period_end)


async def transactions(query: ListTransactions, uow: BillingUnitOfWork) -> TransactionPage:
    return await uow.reports.transactions(
        query.account_id, page=query.page, page_size=query.page_size,
        kind=query.transaction_kind, since=query.since, until=query.until)


async def usage(query: GetUsage, uow: BillingUnitOfWork) -> UsageReport | QueryResult:
    if query.since and query.until and query.since > query.until:
        return QueryResult.failure(400, "since must not be after until",
                                   {"since": ["must not be after until"]})
    return await uow.reports.usage(query.account_id, query.since, query.until)


async def plans(query: ListPlans, uow: BillingUnitOfWork) -> PlanList:
    rows = await uow.billing.active_plans()
    return PlanList(plans=[
        PlanLimits(slug=p.slug, name=p.name, monthly_credits=p.monthly_credits,
                   price_monthly=p.price_monthly, max_sites=p.max_sites,
                   max_users=p.max_users, is_default=p.is_default) for p in rows])


async def quote(query: QuoteCredits, uow: BillingUnitOfWork,
                prices: PriceTable) -> CreditQuote | QueryResult:
    """What the items would hold (each priced as its own reservation, as ReserveCredits
    does), against what the account may hold now; nothing is held."""
    try:
        credits = sum(prices.cost(item.operation_type, item.quantity) for item in query.items)
    except UnknownOperation as exc:
        return QueryResult.failure(400, str(exc), {"operation_type": [str(exc)]})
    found = await uow.billing.account_with_holds(query.account_id)
    if found is None:
        return QueryResult.failure(404, "No credit balance for this account yet.")
    account, held, _ = found
    available = max(0, available_credits(account.total_credits, held))
    return CreditQuote(credits=credits, available_credits=available, enough=credits <= available)
