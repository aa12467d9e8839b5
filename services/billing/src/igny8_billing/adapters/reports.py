"""Read models for the API: ledger pages and usage aggregates (one account at a time)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_billing.adapters.orm import ledger_entries, ledger_transactions, usage_records
from igny8_contracts.billing import (
    LedgerTransactionView,
    TransactionPage,
    UsageByDay,
    UsageByOperation,
    UsageReport,
)


def _pool_delta(pool: str) -> Any:
    return func.coalesce(func.sum(case((ledger_entries.c.pool == pool, ledger_entries.c.amount),
                                       else_=0)), 0)


class ReportReader:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def transactions(
        self, account_id: uuid.UUID, *, page: int, page_size: int, kind: str | None,
        since: datetime | None, until: datetime | None,
    ) -> TransactionPage:
        t = ledger_transactions
        conditions = [t.c.account_id == account_id]
        if kind is not None:
            conditions.append(t.c.kind == kind)
        if since is not None:
            conditions.append(t.c.created_at >= since)
        if until is not None:
            conditions.append(t.c.created_at < until)
        count = (await self.session.execute(
            select(func.count()).select_from(t).where(*conditions))).scalar_one()
        rows = await self.session.execute(
            select(t.c.id, t.c.kind, t.c.reason, t.c.created_by, t.c.created_at,
                   _pool_delta("plan").label("plan_delta"),
                   _pool_delta("bonus").label("bonus_delta"))
            .join(ledger_entries, ledger_entries.c.transaction_id == t.c.id)
            .where(*conditions)
            .group_by(t.c.id)
            .order_by(t.c.created_at.desc(), t.c.id)
            .limit(page_size).offset((page - 1) * page_size))
        results = [LedgerTransactionView(
            id=r.id, kind=r.kind, reason=r.reason, plan_delta=int(r.plan_delta),
            bonus_delta=int(r.bonus_delta), created_by=r.created_by, created_at=r.created_at)
            for r in rows]
        return TransactionPage(count=int(count), results=results)

    async def usage(self, account_id: uuid.UUID, since: date | None,
                    until: date | None) -> UsageReport:
        u = usage_records
        conditions = [u.c.account_id == account_id]
        if since is not None:
            conditions.append(u.c.recorded_at >= datetime.combine(since, time.min))
        if until is not None:
            conditions.append(u.c.recorded_at < datetime.combine(until + timedelta(days=1),
                                                                 time.min))
        by_operation = await self.session.execute(
            select(u.c.operation_type, func.count(), func.sum(u.c.quantity), func.sum(u.c.credits))
            .where(*conditions).group_by(u.c.operation_type).order_by(u.c.operation_type))
        day = cast(func.timezone("UTC", u.c.recorded_at), Date)
        by_day = await self.session.execute(
            select(day.label("day"), u.c.operation_type, func.sum(u.c.credits))
            .where(*conditions).group_by(day, u.c.operation_type)
            .order_by(day, u.c.operation_type))
        return UsageReport(
            by_operation=[UsageByOperation(operation_type=op, operations=int(n),
                                           quantity=int(q), credits=int(c))
                          for op, n, q, c in by_operation],
            by_day=[UsageByDay(day=d, operation_type=op, credits=int(c))
                    for d, op, c in by_day],
        )
