"""Subjects billing listens to, each mapped to its handler."""

from __future__ import annotations

from datetime import UTC, datetime

from igny8_billing.app import service
from igny8_billing.service_layer import handlers, periods, queries, reservations
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_billing.settings import billing_settings
from igny8_contracts import QueryResult
from igny8_contracts.billing import (
    AdjustCredits,
    Balance,
    BalanceDetails,
    ChangePlan,
    CreditQuote,
    GetBalance,
    GetBalanceDetails,
    GetUsage,
    LedgerTransactionView,
    ListPlans,
    ListTransactions,
    PlanList,
    QuoteCredits,
    ReleaseReservation,
    Reservation,
    ReserveCredits,
    TransactionPage,
    UsageReport,
)
from igny8_contracts.identity import AccountCreated
from igny8_contracts.usage import AiUsage, PlannerAiUsageRecorded, WriterAiUsageRecorded
from igny8_runtime.handling import HandlerContext


@service.on_event(AccountCreated, "open-balance")
async def on_account_created(event: AccountCreated, uow: BillingUnitOfWork,
                             ctx: HandlerContext) -> None:
    """Opens the new account's credit balance with its plan's credits."""
    await handlers.open_balance(event, uow)


async def _settle(event: AiUsage, uow: BillingUnitOfWork) -> None:
    settings = billing_settings()
    await reservations.settle_usage(event, uow, settings.price_table(),
                                    settings.low_credits_threshold)


@service.on_event(PlannerAiUsageRecorded, "settle-planner-usage")
async def on_planner_usage(event: PlannerAiUsageRecorded, uow: BillingUnitOfWork,
                           ctx: HandlerContext) -> None:
    """Captures a planner AI operation's actual cost from its reservation, releases the rest."""
    await _settle(event, uow)


@service.on_event(WriterAiUsageRecorded, "settle-writer-usage")
async def on_writer_usage(event: WriterAiUsageRecorded, uow: BillingUnitOfWork,
                          ctx: HandlerContext) -> None:
    """Captures a writer AI operation's actual cost from its reservation, releases the rest."""
    await _settle(event, uow)


@service.on_query(GetBalance, read_only=True)
async def on_get_balance(query: GetBalance, uow: BillingUnitOfWork,
                         ctx: HandlerContext) -> Balance | QueryResult:
    """Answers the account's current balance."""
    return await handlers.get_balance(query, uow)


@service.on_query(GetBalanceDetails, read_only=True)
async def on_get_balance_details(query: GetBalanceDetails, uow: BillingUnitOfWork,
                                 ctx: HandlerContext) -> BalanceDetails | QueryResult:
    """Answers both pools, the credits held by open reservations, and the period."""
    return await queries.balance_details(query.account_id, uow)


@service.on_query(ListTransactions, read_only=True)
async def on_list_transactions(query: ListTransactions, uow: BillingUnitOfWork,
                               ctx: HandlerContext) -> TransactionPage:
    """Answers a page of the account's ledger transactions."""
    return await queries.transactions(query, uow)


@service.on_query(GetUsage, read_only=True)
async def on_get_usage(query: GetUsage, uow: BillingUnitOfWork,
                       ctx: HandlerContext) -> UsageReport | QueryResult:
    """Answers the account's usage per operation type and per day."""
    return await queries.usage(query, uow)


@service.on_query(ListPlans, read_only=True)
async def on_list_plans(query: ListPlans, uow: BillingUnitOfWork,
                        ctx: HandlerContext) -> PlanList:
    """Answers the plans on offer."""
    return await queries.plans(query, uow)


@service.on_query(QuoteCredits, read_only=True)
async def on_quote_credits(query: QuoteCredits, uow: BillingUnitOfWork,
                           ctx: HandlerContext) -> CreditQuote | QueryResult:
    """Prices an operation before it starts (nothing held): its cost and what is available."""
    return await queries.quote(query, uow, billing_settings().price_table())


@service.on_query(ReserveCredits, read_only=False)
async def on_reserve_credits(request: ReserveCredits, uow: BillingUnitOfWork,
                             ctx: HandlerContext) -> Reservation | QueryResult:
    """Holds the most an AI operation may cost (402 when the credits do not cover it)."""
    return await reservations.reserve(request, uow, billing_settings().price_table(),
                                      datetime.now(UTC))


@service.on_query(ReleaseReservation, read_only=False)
async def on_release_reservation(request: ReleaseReservation, uow: BillingUnitOfWork,
                                 ctx: HandlerContext) -> Reservation | QueryResult:
    """Gives back an open reservation's credits."""
    return await reservations.release(request, uow, datetime.now(UTC))


@service.on_query(ChangePlan, read_only=False)
async def on_change_plan(request: ChangePlan, uow: BillingUnitOfWork,
                         ctx: HandlerContext) -> BalanceDetails | QueryResult:
    """Switches the account's plan at once (a new period with the new plan's credits)."""
    return await periods.change_plan(request, uow, ctx.envelope.id, datetime.now(UTC))


@service.on_query(AdjustCredits, read_only=False)
async def on_adjust_credits(request: AdjustCredits, uow: BillingUnitOfWork,
                            ctx: HandlerContext) -> LedgerTransactionView | QueryResult:
    """Records a developer's audited grant or correction of credits."""
    return await periods.adjust_credits(request, uow, datetime.now(UTC))
