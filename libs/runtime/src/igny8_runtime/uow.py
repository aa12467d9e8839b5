"""Unit of work: one transaction for a state change and the events it causes."""

from __future__ import annotations

import uuid
from types import TracebackType
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from igny8_contracts import Envelope, Message
from igny8_runtime.context import causation_id_var, current_correlation_id
from igny8_runtime.db import Database
from igny8_runtime.outbox import OUTBOX_CHANNEL
from igny8_runtime.telemetry import current_trace_headers


class UnitOfWork:
    """``async with uow: ...; uow.emit(event); await uow.commit()``.

    Leaving the block without ``commit()`` rolls everything back, events included.
    ``read_only=True`` reads in autocommit mode (fewer round trips) and cannot commit.
    Services subclass it to add their repositories (built on ``self.session``).
    """

    session: AsyncSession

    def __init__(
        self, db: Database, outbox: Table, inbox: Table, source: str, *, read_only: bool = False
    ) -> None:
        self._db = db
        self.read_only = read_only
        self._outbox = outbox
        self._inbox = inbox
        self.source = source
        self._pending: list[Envelope] = []

    async def __aenter__(self) -> UnitOfWork:
        self.session = (self._db.read_sessions if self.read_only else self._db.sessions)()
        self._pending = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    def emit(self, message: Message, *, account_id: uuid.UUID | None = None) -> Envelope:
        envelope = Envelope.wrap(
            message,
            source=f"igny8/{self.source}",
            correlation_id=current_correlation_id(),
            causation_id=causation_id_var.get(),
            account_id=account_id,
        )
        self._pending.append(envelope)
        return envelope

    async def claim_message(self, consumer: str, envelope: Envelope) -> bool:
        """Record ``envelope`` as processed by ``consumer``; False if it already was."""
        result = await self.session.execute(
            pg_insert(self._inbox)
            .values(consumer=consumer, message_id=envelope.id, subject=envelope.subject)
            .on_conflict_do_nothing()
            .returning(self._inbox.c.message_id)
        )
        return result.first() is not None

    async def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        if self._pending:
            headers = current_trace_headers()
            rows: list[dict[str, Any]] = [
                {
                    "id": e.id,
                    "subject": e.subject,
                    "payload": e.model_dump(mode="json"),
                    "headers": {**headers, "Igny8-Correlation-Id": e.correlation_id},
                }
                for e in self._pending
            ]
            await self.session.execute(self._outbox.insert(), rows)
            await self.session.execute(text(f"NOTIFY {OUTBOX_CHANNEL}, '{self._db.schema}'"))
        await self.session.commit()
        self._pending = []

    async def rollback(self) -> None:
        await self.session.rollback()
        self._pending = []
