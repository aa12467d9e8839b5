"""AccountCreated → one credit balance, however often it is delivered and whenever billing dies.

Billing runs as a real process against real NATS JetStream and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable

import nats
import pytest
from nats.js import JetStreamContext
from sqlalchemy import create_engine, text

from igny8_contracts import Envelope
from igny8_contracts.identity import AccountCreated
from igny8_devtools.testing.processes import ServiceProcess
from igny8_runtime.db import sqlalchemy_url
from igny8_runtime.migrations import upgrade

pytestmark = pytest.mark.integration
CONSUMER = "billing--open-balance"


@pytest.fixture(scope="module")
def billing_db(database_url: str) -> str:
    upgrade("billing", database_url)
    return database_url


@pytest.fixture
async def js(nats_url: str) -> AsyncIterator[JetStreamContext]:
    nc = await nats.connect(nats_url)
    yield nc.jetstream()
    await nc.drain()


def account_created() -> Envelope:
    account_id = uuid.uuid4()
    event = AccountCreated(account_id=account_id, name="Acme", owner_user_id=uuid.uuid4(),
                           owner_email=f"{account_id.hex[:8]}@acme.test", plan_slug="free")
    return Envelope.wrap(event, source="igny8/gateway", correlation_id=str(uuid.uuid4()),
                         account_id=account_id)


async def publish(js: JetStreamContext, envelope: Envelope, msg_id: str) -> None:
    await js.publish(AccountCreated.subject(), envelope.model_dump_json().encode(),
                     headers={"Nats-Msg-Id": msg_id})


async def drained(js: JetStreamContext, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = await js.consumer_info("GATEWAY_EVENTS", CONSUMER)
        if info.num_pending == 0 and info.num_ack_pending == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{CONSUMER} still has work: {info}")


def ledger_state(database_url: str, account_id: uuid.UUID) -> tuple[int, int]:
    """(credit accounts, plan credits) for the account, checking ledger invariants on the way."""
    engine = create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        unbalanced = conn.execute(text(
            "SELECT transaction_id FROM billing.ledger_entries GROUP BY transaction_id "
            "HAVING sum(amount) <> 0")).all()
        assert unbalanced == [], "every ledger transaction must sum to zero"
        negative = conn.execute(text(
            "SELECT account_id, pool FROM billing.ledger_entries WHERE pool IN ('plan','bonus') "
            "GROUP BY account_id, pool HAVING sum(amount) < 0")).all()
        assert negative == [], "no customer balance may be negative"
        accounts = conn.execute(text(
            "SELECT count(*) FROM billing.credit_accounts WHERE account_id = :a"),
            {"a": account_id}).scalar_one()
        credits = conn.execute(text(
            "SELECT coalesce(sum(amount), 0) FROM billing.ledger_entries "
            "WHERE account_id = :a AND pool = 'plan'"), {"a": account_id}).scalar_one()
    engine.dispose()
    return int(accounts), int(credits)


FAST_REDELIVERY = {"IGNY8_CONSUMER_ACK_WAIT_SECONDS": "2"}


async def test_account_created_delivered_twice_opens_one_balance(
    billing_db: str, js: JetStreamContext, service_process: Callable[..., ServiceProcess]
) -> None:
    billing = service_process("billing", FAST_REDELIVERY)
    envelope = account_created()
    # Two deliveries that JetStream cannot dedupe (different Nats-Msg-Id): the inbox must.
    await publish(js, envelope, f"{envelope.id}-first")
    await publish(js, envelope, f"{envelope.id}-second")
    await drained(js)
    assert ledger_state(billing_db, envelope.account_id) == (1, 100)
    billing.terminate()


async def test_billing_killed_after_commit_before_ack_settles_once(
    billing_db: str, js: JetStreamContext, service_process: Callable[..., ServiceProcess]
) -> None:
    doomed = service_process("billing", {**FAST_REDELIVERY,
                                         "IGNY8_FAILPOINTS": "consumer.after_commit"})
    envelope = account_created()
    await publish(js, envelope, str(envelope.id))
    deadline = time.monotonic() + 30
    while doomed.is_running and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert doomed.returncode == -9, "billing should have SIGKILLed itself after committing"
    # Committed, not acked: the balance exists once, and the message is still owed an ack.
    assert ledger_state(billing_db, envelope.account_id) == (1, 100)

    revived = service_process("billing", FAST_REDELIVERY)
    await drained(js)
    revived.terminate()
    # The redelivered message was recognised by the inbox, not applied again.
    assert "duplicate delivery skipped" in revived.log_tail(400)
    assert ledger_state(billing_db, envelope.account_id) == (1, 100)
