"""Subjects billing listens to, each mapped to its handler."""

from __future__ import annotations

from igny8_billing.app import service
from igny8_billing.service_layer import handlers
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_contracts import Envelope, QueryResult
from igny8_contracts.billing import GetBalance
from igny8_contracts.identity import AccountCreated
from igny8_runtime.service import ServiceRuntime


@service.on_event(AccountCreated, "open-balance")
async def on_account_created(
    event: AccountCreated, envelope: Envelope, uow: BillingUnitOfWork
) -> None:
    """Opens the new account's credit balance with its plan's credits."""
    await handlers.open_balance(event, uow)


@service.on_query(GetBalance)
async def on_get_balance(query: GetBalance, envelope: Envelope, runtime: ServiceRuntime) -> QueryResult:
    """Answers the account's current balance."""
    if envelope.account_id != query.account_id:
        return QueryResult.failure(404, "No credit balance for this account.")
    async with runtime.uow(read_only=True) as uow:
        return await handlers.get_balance(query, uow)
