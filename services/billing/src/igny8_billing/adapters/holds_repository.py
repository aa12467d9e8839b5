"""Reads and writes of holds (credit reservations) and the usage they settle."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_billing.adapters.orm import holds, usage_records
from igny8_billing.domain.holds import Hold, HoldStatus


def _hold(row: Any) -> Hold:
    return Hold(row.id, row.account_id, row.reservation_key, row.operation_type,
                row.credits_held, HoldStatus(row.status), row.expires_at, row.operation_id,
                row.credits_captured)


class HoldRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_key(self, account_id: uuid.UUID, reservation_key: str, *,
                     lock: bool = False) -> Hold | None:
        statement = select(holds).where(holds.c.account_id == account_id,
                                        holds.c.reservation_key == reservation_key)
        if lock:
            statement = statement.with_for_update()
        row = (await self.session.execute(statement)).first()
        return _hold(row) if row is not None else None

    async def add(self, hold: Hold) -> None:
        await self.session.execute(holds.insert().values(
            id=hold.id, account_id=hold.account_id, reservation_key=hold.reservation_key,
            operation_type=hold.operation_type, credits_held=hold.credits_held,
            status=hold.status.value, expires_at=hold.expires_at))

    async def settle(self, hold: Hold, status: HoldStatus, now: datetime, *,
                     operation_id: str | None = None, captured: int | None = None) -> None:
        await self.session.execute(
            update(holds).where(holds.c.id == hold.id)
            .values(status=status.value, settled_at=now, operation_id=operation_id,
                    credits_captured=captured))
        hold.status, hold.operation_id, hold.credits_captured = status, operation_id, captured

    async def overdue(self, now: datetime, limit: int) -> list[Hold]:
        """Open holds past their expiry, locked; rows another worker holds are skipped."""
        rows = await self.session.execute(
            select(holds).where(holds.c.status == HoldStatus.OPEN.value,
                                holds.c.expires_at <= now)
            .order_by(holds.c.expires_at).limit(limit).with_for_update(skip_locked=True))
        return [_hold(row) for row in rows]

    async def record_usage(self, hold: Hold, credits: int, usage: dict[str, Any]) -> None:
        await self.session.execute(usage_records.insert().values(
            account_id=hold.account_id, hold_id=hold.id, credits=credits, **usage))
