"""Fixtures for billing's tests against real NATS and PostgreSQL, and the ledger invariants
checked after every test that touches the ledger."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import nats
import pytest
from nats.aio.client import Client as NatsClient
from sqlalchemy import Engine, create_engine, text

from igny8_contracts import Envelope, Message, Query, QueryResult
from igny8_contracts.billing import GetBalanceDetails
from igny8_contracts.identity import AccountCreated
from igny8_runtime.db import sqlalchemy_url
from igny8_runtime.migrations import upgrade


class Ledger:
    """Direct reads of billing's schema: the invariants, and what tests assert on."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()

    def pool(self, account_id: uuid.UUID, pool: str) -> int:
        return int(self.scalar(
            "SELECT coalesce(sum(amount), 0) FROM billing.ledger_entries "
            "WHERE account_id = :a AND pool = :p", a=account_id, p=pool))

    def transactions(self, account_id: uuid.UUID, kind: str) -> int:
        return int(self.scalar(
            "SELECT count(*) FROM billing.ledger_transactions WHERE account_id = :a "
            "AND kind = :k", a=account_id, k=kind))

    def hold_status(self, account_id: uuid.UUID, key: str) -> str:
        return str(self.scalar(
            "SELECT status FROM billing.holds WHERE account_id = :a AND reservation_key = :k",
            a=account_id, k=key))

    def assert_invariants(self) -> None:
        unbalanced = self.rows(
            "SELECT transaction_id FROM billing.ledger_entries GROUP BY transaction_id "
            "HAVING sum(amount) <> 0")
        assert unbalanced == [], "every ledger transaction must sum to zero"
        negative = self.rows(
            "SELECT account_id, pool FROM billing.ledger_entries WHERE pool IN ('plan','bonus') "
            "GROUP BY account_id, pool HAVING sum(amount) < 0")
        assert negative == [], "no customer pool may be negative"
        overheld = self.rows(
            "SELECT h.account_id FROM billing.holds h WHERE h.status = 'open' "
            "GROUP BY h.account_id HAVING sum(h.credits_held) > (SELECT coalesce(sum(amount), 0)"
            " FROM billing.ledger_entries e WHERE e.account_id = h.account_id "
            " AND e.pool IN ('plan','bonus'))")
        assert overheld == [], "open holds may never exceed the balance"
        captured = self.rows(
            "SELECT h.id FROM billing.holds h WHERE h.status = 'captured' AND "
            "h.credits_captured > 0 AND (SELECT count(*) FROM billing.ledger_transactions t "
            "WHERE t.idempotency_key = 'usage:' || h.id::text) <> 1")
        assert captured == [], "every captured hold is debited exactly once"


@pytest.fixture(scope="session")
def billing_url(database_url: str) -> str:
    upgrade("billing", database_url)
    return database_url


@pytest.fixture(scope="session")
def ledger(billing_url: str) -> Iterator[Ledger]:
    engine = create_engine(sqlalchemy_url(billing_url))
    yield Ledger(engine)
    engine.dispose()


@pytest.fixture
def checked_ledger(ledger: Ledger) -> Iterator[Ledger]:
    """The ledger, with its invariants checked after the test."""
    yield ledger
    ledger.assert_invariants()


class Bus:
    """Publishing events and asking billing, as other services do."""

    def __init__(self, nc: NatsClient) -> None:
        self.nc = nc
        self.js = nc.jetstream()

    async def publish(self, message: Message, account_id: uuid.UUID,
                      msg_id: str | None = None) -> Envelope:
        envelope = Envelope.wrap(message, source="igny8/test", correlation_id=str(uuid.uuid4()),
                                 account_id=account_id)
        await self.publish_envelope(envelope, msg_id or str(envelope.id))
        return envelope

    async def publish_envelope(self, envelope: Envelope, msg_id: str) -> None:
        await self.js.publish(envelope.subject, envelope.model_dump_json().encode(),
                              headers={"Nats-Msg-Id": msg_id})

    async def ask(self, query: Query, account_id: uuid.UUID | None,
                  timeout: float = 10.0) -> QueryResult:
        envelope = Envelope.wrap(query, source="igny8/test", correlation_id=str(uuid.uuid4()),
                                 account_id=account_id)
        reply = await self.nc.request(query.subject(), envelope.model_dump_json().encode(),
                                      timeout=timeout)
        return QueryResult.model_validate_json(reply.data)

    async def open_account(self, timeout: float = 30.0) -> uuid.UUID:
        """A new account (free plan, 100 credits), once billing has opened its balance."""
        account_id = uuid.uuid4()
        await self.publish(AccountCreated(
            account_id=account_id, name="Acme", owner_user_id=uuid.uuid4(),
            owner_email=f"{account_id.hex[:8]}@acme.test", plan_slug="free"), account_id)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = await self.ask(GetBalanceDetails(account_id=account_id), account_id)
            if result.ok:
                return account_id
            await asyncio.sleep(0.1)
        raise AssertionError("billing never opened the balance")

    async def drained(self, stream: str, consumer: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = await self.js.consumer_info(stream, consumer)
            if info.num_pending == 0 and info.num_ack_pending == 0:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{consumer} still has work")

    async def dead_letter_reasons(self, consumer: str, original_msg_id: str) -> list[str]:
        """Reasons billing gave for dead-lettering that message (empty: not dead-lettered)."""
        sub = await self.js.subscribe(f"dlq.{consumer}", ordered_consumer=True)
        reasons = []
        try:
            while True:
                try:
                    msg = await sub.next_msg(timeout=1.0)
                except nats.errors.TimeoutError:
                    break
                headers = msg.headers or {}
                if headers.get("Igny8-Dlq-Original-Msg-Id") == original_msg_id:
                    reasons.append(headers.get("Igny8-Dlq-Reason", ""))
        finally:
            await sub.unsubscribe()
        return reasons


@pytest.fixture
async def bus(nats_url: str) -> AsyncIterator[Bus]:
    nc = await nats.connect(nats_url)
    yield Bus(nc)
    await nc.drain()
