"""Subjects billing listens to, each mapped to its handler."""

from __future__ import annotations

from datetime import UTC, datetime

from igny8_billing.app import service
from igny8_billing.service_layer import handlers, periods, queries, reservations
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_billing.settings import billing_settings
from igny8_contracts import Envelope, QueryResult
from igny8_contracts.billing import (
    AdjustCredits,
    ChangePlan,
    GetBalance,
    GetBalanceDetails,
    GetUsage,
    ListPlans,
    ListTransactions,
    ReleaseReservation,
    ReserveCredits,
)
from igny8_contracts.identity import AccountCreated
from igny8_contracts.usage import AiUsage, PlannerAiUsageRecorded, WriterAiUsageRecorded
from igny8_runtime.consumers import Reject
from igny8_runtime.service import ServiceRuntime


@service.on_event_legacy(AccountCreated, "open-balance")
async def on_account_created(
    event: AccountCreated, envelope: Envelope, uow: BillingUnitOfWork
) -> None:
    """Opens the new account's credit balance with its plan's credits."""
    await handlers.open_balance(event, uow)


async def _settle(event: AiUsage, envelope: Envelope, uow: BillingUnitOfWork) -> None:
    if envelope.account_id is not None and envelope.account_id != event.account_id:
        raise Reject("the envelope's account differs from the usage's account")
    settings = billing_settings()
    await reservations.settle_usage(event, uow, settings.price_table(),
                                    settings.low_credits_threshold)


@service.on_event_legacy(PlannerAiUsageRecorded, "settle-planner-usage")
async def on_planner_usage(
    event: PlannerAiUsageRecorded, envelope: Envelope, uow: BillingUnitOfWork
) -> None:
    """Captures a planner AI operation's actual cost from its reservation, releases the rest."""
    await _settle(event, envelope, uow)


@service.on_event_legacy(WriterAiUsageRecorded, "settle-writer-usage")
async def on_writer_usage(
    event: WriterAiUsageRecorded, envelope: Envelope, uow: BillingUnitOfWork
) -> None:
    """Captures a writer AI operation's actual cost from its reservation, releases the rest."""
    await _settle(event, envelope, uow)


@service.on_query_legacy(GetBalance)
async def on_get_balance(query: GetBalance, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers the account's current balance."""
    async with runtime.uow(read_only=True) as uow:
        return await handlers.get_balance(query, uow)


@service.on_query_legacy(GetBalanceDetails)
async def on_get_balance_details(
    query: GetBalanceDetails, envelope: Envelope, runtime: ServiceRuntime
) -> QueryResult:
    """Answers both pools, the credits held by open reservations, and the period."""
    async with runtime.uow(read_only=True) as uow:
        return await queries.balance_details(query.account_id, uow)


@service.on_query_legacy(ListTransactions)
async def on_list_transactions(
    query: ListTransactions, envelope: Envelope, runtime: ServiceRuntime
) -> QueryResult:
    """Answers a page of the account's ledger transactions."""
    async with runtime.uow(read_only=True) as uow:
        return await queries.transactions(query, uow)


@service.on_query_legacy(GetUsage)
async def on_get_usage(query: GetUsage, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers the account's usage per operation type and per day."""
    async with runtime.uow(read_only=True) as uow:
        return await queries.usage(query, uow)


@service.on_query_legacy(ListPlans)
async def on_list_plans(query: ListPlans, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers the plans on offer."""
    async with runtime.uow(read_only=True) as uow:
        return await queries.plans(query, uow)


@service.on_query_legacy(ReserveCredits)
async def on_reserve_credits(
    request: ReserveCredits, envelope: Envelope, runtime: ServiceRuntime
) -> QueryResult:
    """Holds the most an AI operation may cost (402 when the credits do not cover it)."""
    async with runtime.uow() as uow:
        return await reservations.reserve(request, uow, billing_settings().price_table(),
                                          datetime.now(UTC))


@service.on_query_legacy(ReleaseReservation)
async def on_release_reservation(
    request: ReleaseReservation, envelope: Envelope, runtime: ServiceRuntime
) -> QueryResult:
    """Gives back an open reservation's credits."""
    async with runtime.uow() as uow:
        return await reservations.release(request, uow, datetime.now(UTC))


@service.on_query_legacy(ChangePlan)
async def on_change_plan(request: ChangePlan, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Switches the account's plan at once (a new period with the new plan's credits)."""
    async with runtime.uow() as uow:
        return await periods.change_plan(request, uow, envelope.id, datetime.now(UTC))


@service.on_query_legacy(AdjustCredits)
async def on_adjust_credits(
    request: AdjustCredits, envelope: Envelope, runtime: ServiceRuntime
) -> QueryResult:
    """Records a developer's audited grant or correction of credits."""
    async with runtime.uow() as uow:
        return await periods.adjust_credits(request, uow, datetime.now(UTC))
