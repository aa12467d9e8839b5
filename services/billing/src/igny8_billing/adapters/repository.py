"""Reads and writes of credit accounts and ledger transactions."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_billing.adapters.orm import credit_accounts, ledger_entries, ledger_transactions, plans
from igny8_billing.domain.model import CreditAccount, Plan, Pool, Transaction


class BillingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plan(self, slug: str) -> Plan | None:
        row = (await self.session.execute(select(plans).where(plans.c.slug == slug))).first()
        if row is None:
            return None
        return Plan(row.slug, row.name, row.monthly_credits, row.max_sites, row.max_users,
                    row.is_default)

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

    async def account(self, account_id: uuid.UUID) -> CreditAccount | None:
        row = (
            await self.session.execute(
                select(credit_accounts).where(credit_accounts.c.account_id == account_id)
            )
        ).first()
        if row is None:
            return None
        sums = await self.session.execute(
            select(ledger_entries.c.pool, func.sum(ledger_entries.c.amount))
            .where(ledger_entries.c.account_id == account_id,
                   ledger_entries.c.pool.in_([Pool.PLAN.value, Pool.BONUS.value]))
            .group_by(ledger_entries.c.pool)
        )
        balances = {Pool(pool): int(total) for pool, total in sums.all()}
        return CreditAccount(row.account_id, row.plan_slug, row.period_start, row.period_end,
                             balances)
