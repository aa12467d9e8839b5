"""Outbox relay: publishes committed events to JetStream, with ``Nats-Msg-Id`` = event id.

A crash after publishing and before marking the row sent makes the next run publish it again
with the same ``Nats-Msg-Id``: JetStream's duplicate window drops it, and consumers' inboxes
would skip it anyway. Several replicas can run: rows are claimed with ``FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Protocol

import psycopg
from nats.js.api import PubAck
from opentelemetry import trace
from sqlalchemy import Table, func, select, update

from igny8_runtime.db import Database, libpq_url
from igny8_runtime.logging import get_logger
from igny8_runtime.outbox import OUTBOX_CHANNEL
from igny8_runtime.telemetry import context_from_headers, tracer

log = get_logger(__name__)


class JetStreamPublisher(Protocol):
    async def publish(
        self,
        subject: str,
        payload: bytes = b"",
        timeout: float | None = None,
        stream: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> PubAck: ...


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        outbox: Table,
        js: JetStreamPublisher,
        *,
        batch_size: int = 200,
        poll_seconds: float = 1.0,
    ) -> None:
        self._db = db
        self._outbox = outbox
        self._js = js
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._wake = asyncio.Event()

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished events; returns how many were published."""
        t = self._outbox
        async with self._db.sessions() as session, session.begin():
            rows = (
                await session.execute(
                    select(t.c.id, t.c.subject, t.c.payload, t.c.headers)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.seq)
                    .limit(self._batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                headers = {**row.headers, "Nats-Msg-Id": str(row.id)}
                with tracer().start_as_current_span(
                    f"{row.subject} publish",
                    context=context_from_headers(row.headers),
                    kind=trace.SpanKind.PRODUCER,
                    attributes={"messaging.system": "nats", "messaging.message.id": str(row.id)},
                ):
                    await self._js.publish(
                        row.subject, json.dumps(row.payload).encode(), headers=headers
                    )
            if rows:
                await session.execute(
                    update(t).where(t.c.id.in_([r.id for r in rows])).values(published_at=func.now())
                )
        return len(rows)

    async def run(self) -> None:
        listener = asyncio.create_task(self._listen())
        try:
            while True:
                try:
                    published = await self.publish_pending()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("outbox relay batch failed; retrying")
                    published = 0
                    await asyncio.sleep(self._poll_seconds)
                if published == self._batch_size:
                    continue
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll_seconds)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    async def _listen(self) -> None:
        """Wake the relay on NOTIFY from committing units of work (polling is the fallback)."""
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    libpq_url(self._db.url), autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {OUTBOX_CHANNEL}")
                    async for notify in conn.notifies():
                        if notify.payload == self._db.schema:
                            self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("outbox LISTEN connection lost; polling until it is back")
                await asyncio.sleep(self._poll_seconds)
