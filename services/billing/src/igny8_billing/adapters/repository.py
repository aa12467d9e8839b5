"""Reads and writes of credit accounts and ledger transactions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_billing.adapters.orm import (
    credit_accounts,
    holds,
    ledger_entries,
    ledger_transactions,
    plans,
)
from igny8_billing.domain.model import CreditAccount, Plan, Pool, Transaction


def _pool_sum(pool: Pool) -> Any:
    return (select(func.coalesce(func.sum(ledger_entries.c.amount), 0))
            .where(ledger_entries.c.account_id == bindparam("account_id"),
                   ledger_entries.c.pool == pool.value)
            .scalar_subquery().label(pool.value))


def _open_holds() -> ColumnElement[bool]:
    return (holds.c.account_id == bindparam("account_id")) & (holds.c.status == "open")


# Built once (their SQL is compiled once too): these run for every balance read and reservation.
# The credit account's row with its plan and bonus pools summed from the ledger.
_ACCOUNT: Select[Any] = (
    select(credit_accounts, _pool_sum(Pool.PLAN), _pool_sum(Pool.BONUS))
    .where(credit_accounts.c.account_id == bindparam("account_id")))
_LOCKED_ACCOUNT = _ACCOUNT.with_for_update(of=credit_accounts)
_ACCOUNT_WITH_HOLDS = _ACCOUNT.add_columns(
    select(func.coalesce(func.sum(holds.c.credits_held), 0)).where(_open_holds())
    .scalar_subquery().label("held"),
    select(func.count()).select_from(holds).where(_open_holds())
    .scalar_subquery().label("open_holds"))


def _credit_account(row: Row[Any]) -> CreditAccount:
    balances = {pool: int(row._mapping[pool.value]) for pool in (Pool.PLAN, Pool.BONUS)}
    return CreditAccount(row.account_id, row.plan_slug, row.period_start, row.period_end,
                         balances)


class BillingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plan(self, slug: str) -> Plan | None:
        row = (await self.session.execute(select(plans).where(plans.c.slug == slug))).first()
        if row is None:
            return None
        return Plan(row.slug, row.name, row.monthly_credits, row.max_sites, row.max_users,
                    row.is_default, row.price_monthly)

    async def add_account(self, account: CreditAccount) -> bool:
        """Insert the credit account; False if it already exists (nothing written)."""
        result = await self.session.execute(
            pg_insert(credit_accounts)
            .values(account_id=account.account_id, plan_slug=account.plan_slug,
                    period_start=account.period_start, period_end=account.period_end)
            .on_conflict_do_nothing()
            .returning(credit_accounts.c.account_id)
        )
        return result.first() is not None

    async def record(self, transaction: Transaction) -> None:
        await self.session.execute(
            ledger_transactions.insert().values(
                id=transaction.id, account_id=transaction.account_id, kind=transaction.kind,
                reason=transaction.reason, idempotency_key=transaction.idempotency_key,
                created_by=transaction.created_by,
            )
        )
        await self.session.execute(
            ledger_entries.insert(),
            [
                {"transaction_id": transaction.id,
                 # System pools are not the customer's: their entries carry no account.
                 "account_id": transaction.account_id,
                 "pool": entry.pool.value, "amount": entry.amount}
                for entry in transaction.entries
            ],
        )

    async def account(
        self, account_id: uuid.UUID, *, lock: bool = False
    ) -> CreditAccount | None:
        """The account with balances summed from its entries, in one round trip. ``lock=True``
        takes the row lock that serialises every change of the account's credits (reservations
        included)."""
        statement = _LOCKED_ACCOUNT if lock else _ACCOUNT
        row = (await self.session.execute(statement, {"account_id": account_id})).first()
        return _credit_account(row) if row is not None else None

    async def account_with_holds(
        self, account_id: uuid.UUID
    ) -> tuple[CreditAccount, int, int] | None:
        """``account`` and ``held_credits`` in one round trip (no lock: for reading)."""
        row = (await self.session.execute(_ACCOUNT_WITH_HOLDS, {"account_id": account_id})).first()
        if row is None:
            return None
        return _credit_account(row), int(row.held), int(row.open_holds)

    async def held_credits(self, account_id: uuid.UUID) -> tuple[int, int]:
        """(credits held by open reservations, number of open reservations)."""
        row = (await self.session.execute(
            select(func.coalesce(func.sum(holds.c.credits_held), 0), func.count())
            .where(holds.c.account_id == account_id, holds.c.status == "open")
        )).one()
        return int(row[0]), int(row[1])

    async def transaction_exists(self, idempotency_key: str) -> bool:
        found = await self.session.execute(
            select(ledger_transactions.c.id)
            .where(ledger_transactions.c.idempotency_key == idempotency_key))
        return found.first() is not None

    async def start_period(self, account_id: uuid.UUID, plan_slug: str, start: datetime,
                           end: datetime) -> None:
        await self.session.execute(
            update(credit_accounts).where(credit_accounts.c.account_id == account_id)
            .values(plan_slug=plan_slug, period_start=start, period_end=end))

    async def accounts_due_for_renewal(self, now: datetime, limit: int) -> list[uuid.UUID]:
        rows = await self.session.execute(
            select(credit_accounts.c.account_id).where(credit_accounts.c.period_end <= now)
            .order_by(credit_accounts.c.period_end).limit(limit))
        return [row.account_id for row in rows]

    async def active_plans(self) -> list[Plan]:
        rows = await self.session.execute(
            select(plans).where(plans.c.is_active.is_(True)).order_by(plans.c.price_monthly))
        return [Plan(r.slug, r.name, r.monthly_credits, r.max_sites, r.max_users, r.is_default,
                     r.price_monthly) for r in rows]
