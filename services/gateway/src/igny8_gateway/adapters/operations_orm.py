"""The operations read model (table ``gateway.operations``) and its repository."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    Row,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_gateway.adapters.orm import metadata
from igny8_gateway.domain.operations import Operation

operations = Table(
    "operations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=True),
    Column("kind", String(100), nullable=False),
    Column("state", String(20), nullable=False),
    Column("phase", String(40), nullable=False),
    Column("percent", SmallInteger, nullable=False),
    Column("message", Text, nullable=False),
    Column("result", JSON().with_variant(JSONB(), "postgresql"), nullable=True),
    Column("error", Text, nullable=True),
    Column("cost", Integer, nullable=True),
    Column("sequence", BigInteger, nullable=False),
    Column("requested_by", Uuid, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_operations_account_id_created_at", "account_id", "created_at"),
)

_FIELDS = ("site_id", "kind", "state", "phase", "percent", "message", "result", "error", "cost",
           "sequence", "requested_by", "updated_at")


def _operation(row: Row[Any]) -> Operation:
    return Operation(**row._asdict())


class OperationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, account_id: uuid.UUID, operation_id: uuid.UUID, *, lock: bool = False
    ) -> Operation | None:
        query = select(operations).where(operations.c.account_id == account_id,
                                         operations.c.id == operation_id)
        if lock:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return _operation(row) if row is not None else None

    async def add(self, operation: Operation) -> bool:
        """Insert unless the id exists already (then nothing changes); True if inserted."""
        values = {"id": operation.id, "account_id": operation.account_id,
                  "created_at": operation.created_at,
                  **{name: getattr(operation, name) for name in _FIELDS}}
        result = await self.session.execute(
            pg_insert(operations).values(**values).on_conflict_do_nothing()
            .returning(operations.c.id))
        return result.first() is not None

    async def save(self, operation: Operation) -> None:
        await self.session.execute(
            update(operations)
            .where(operations.c.account_id == operation.account_id,
                   operations.c.id == operation.id)
            .values(**{name: getattr(operation, name) for name in _FIELDS}))

    async def list(
        self, account_id: uuid.UUID, *, sites: frozenset[uuid.UUID] | None,
        requested_by: uuid.UUID | None, state: str | None, kind: str | None,
        offset: int, limit: int,
    ) -> tuple[list[Operation], int]:
        """Newest first. ``sites`` (when not None) limits to those sites plus the operations
        ``requested_by`` started."""
        query = select(operations).where(operations.c.account_id == account_id)
        if sites is not None:
            query = query.where(or_(operations.c.site_id.in_(sites),
                                    operations.c.requested_by == requested_by))
        if state is not None:
            query = query.where(operations.c.state == state)
        if kind is not None:
            query = query.where(operations.c.kind == kind)
        count = (await self.session.execute(
            select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = await self.session.execute(
            query.order_by(operations.c.created_at.desc(), operations.c.id)
            .offset(offset).limit(limit))
        return [_operation(row) for row in rows], int(count)

    async def fail_stale(self, quiet_since: datetime, error: str, sequence: int,
                         limit: int) -> tuple[uuid.UUID, ...]:
        """Fail up to ``limit`` operations not final and not updated since ``quiet_since``
        (skipping rows another replica is failing); their ids. ``sequence`` is at least one
        above each one's, so that a late final update from the work itself still wins."""
        stale = (select(operations.c.id)
                 .where(operations.c.state.in_(("accepted", "running")),
                        operations.c.updated_at < quiet_since)
                 .order_by(operations.c.updated_at).limit(limit)
                 .with_for_update(skip_locked=True)).cte("stale")
        result = await self.session.execute(
            update(operations)
            .where(operations.c.id.in_(select(stale.c.id)))
            .values(state="failed", message="Failed.", error=error, updated_at=func.now(),
                    sequence=func.greatest(operations.c.sequence + 1, sequence))
            .returning(operations.c.id))
        return tuple(row.id for row in result)
