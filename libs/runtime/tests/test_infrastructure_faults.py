"""Faults of the infrastructure spend no message's attempts.

Against a real PostgreSQL of the test's own, stopped in the middle of a batch and started
again: every message has its effect exactly once, nothing is dead-lettered, nothing is left
unacknowledged. And the classification itself, on the exceptions the drivers raise.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

import psycopg
import psycopg.errors
import pytest
import sqlalchemy.exc
from sqlalchemy import Column, MetaData, String, Table, Uuid, create_engine, func, select, text

from igny8_contracts import Envelope
from igny8_contracts.messages import Event
from igny8_devtools.embedded import EmbeddedPostgres
from igny8_runtime.db import sqlalchemy_url
from igny8_runtime.deadletter import list_dead_letters
from igny8_runtime.faults import is_infrastructure_fault
from igny8_runtime.handling import HandlerContext
from igny8_runtime.rpc import InvalidAnswer, OwnerUnavailable, Refused
from igny8_runtime.service import Service, ServiceRuntime, create_runtime, running
from igny8_runtime.settings import ServiceSettings
from igny8_runtime.uow import UnitOfWork


class OutageProbed(Event):
    subject_base = "evt.planner.outage_probe.happened"
    label: str
    n: int


def _wrapped(orig: Exception) -> sqlalchemy.exc.DBAPIError:
    return sqlalchemy.exc.DBAPIError.instance("SELECT 1", {}, orig, psycopg.Error)


def _save_article(fault: Exception) -> None:
    try:
        raise _wrapped(fault)
    except Exception as exc:
        raise RuntimeError("could not save the article") from exc


def test_faults_of_the_database_and_the_bus_are_told_apart_from_the_message_s() -> None:
    refused = psycopg.OperationalError("connection refused")
    assert is_infrastructure_fault(_wrapped(refused))
    assert is_infrastructure_fault(_wrapped(psycopg.errors.SerializationFailure("x")))
    assert is_infrastructure_fault(_wrapped(psycopg.errors.DeadlockDetected("x")))
    assert is_infrastructure_fault(_wrapped(psycopg.errors.AdminShutdown("x")))
    assert is_infrastructure_fault(_wrapped(psycopg.errors.TooManyConnections("x")))
    assert is_infrastructure_fault(OwnerUnavailable("qry.x", "no responders"))
    assert is_infrastructure_fault(Refused("qry.x", 503, "database unavailable"))
    # Wrapped by a service (raise ... from / raised while handling): still the infrastructure.
    with pytest.raises(RuntimeError) as wrapped:
        _save_article(refused)
    assert is_infrastructure_fault(wrapped.value)
    # The message's own faults: a constraint, bad data, a refusal, a broken answer, a bug.
    assert not is_infrastructure_fault(_wrapped(psycopg.errors.UniqueViolation("x")))
    assert not is_infrastructure_fault(_wrapped(psycopg.errors.NumericValueOutOfRange("x")))
    assert not is_infrastructure_fault(_wrapped(psycopg.errors.UntranslatableCharacter("x")))
    assert not is_infrastructure_fault(Refused("qry.x", 404, "Not found."))
    assert not is_infrastructure_fault(InvalidAnswer("qry.x", "not the contract"))
    assert not is_infrastructure_fault(ValueError("bad"))


class OutageProbe:
    """A throwaway service whose handler records one row per message, slowly."""

    def __init__(self, database_url: str, nats_url: str) -> None:
        self.name = f"outage{uuid.uuid4().hex[:8]}"
        metadata = MetaData(schema=self.name)
        self.effects = Table("effects", metadata, Column("message_id", Uuid),
                             Column("label", String(100)))
        self.service: Service[UnitOfWork] = Service(self.name, metadata, UnitOfWork)
        self.settings = ServiceSettings(
            service_name=self.name, database_url=database_url, nats_url=nats_url,
            consumer_max_attempts=3, consumer_backoff_seconds=0.1,
            consumer_infrastructure_retry_max_seconds=1.0,
            consumer_ack_wait_seconds=3.0, relay_poll_seconds=0.2)
        engine = create_engine(sqlalchemy_url(database_url))
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
            metadata.create_all(conn)
        engine.dispose()
        self.label = uuid.uuid4().hex

        @self.service.on_event(OutageProbed, "effect")
        async def record(event: OutageProbed, uow: UnitOfWork, ctx: HandlerContext) -> None:
            if event.label != self.label:
                return  # an earlier test's message on the same stream
            await asyncio.sleep(0.05)
            await uow.session.execute(
                self.effects.insert().values(message_id=ctx.envelope.id, label=event.label))

    def runtime(self) -> ServiceRuntime:
        return create_runtime(self.service, self.settings)

    async def counts(self, runtime: ServiceRuntime) -> tuple[int, int]:
        async with runtime.db.sessions() as session:
            row = (await session.execute(
                select(func.count(), func.count(self.effects.c.message_id.distinct()))
                .where(self.effects.c.label == self.label))).one()
        return int(row[0]), int(row[1])


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if await check():
                return
        except Exception:  # the database may still be coming back
            pass
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


@pytest.mark.integration
async def test_a_postgres_outage_mid_batch_dead_letters_nothing_and_loses_nothing(
    stoppable_postgres: EmbeddedPostgres, nats_url: str
) -> None:
    assert stoppable_postgres.url is not None
    probe = OutageProbe(stoppable_postgres.url, nats_url)
    total = 120
    async with running(probe.runtime()) as runtime:
        for n in range(total):
            envelope = Envelope.wrap(OutageProbed(label=probe.label, n=n),
                                     source="igny8/test", correlation_id="outage")
            await runtime.js.publish(OutageProbed.subject(), envelope.model_dump_json().encode(),
                                     headers={"Nats-Msg-Id": str(envelope.id)})

        async def started() -> bool:
            return (await probe.counts(runtime))[0] >= 20

        await eventually(started, 60)
        outage = 10.0
        await asyncio.to_thread(stoppable_postgres.stop)
        stopped_at = time.monotonic()
        await asyncio.sleep(outage)
        await asyncio.to_thread(stoppable_postgres.start)
        back_at = time.monotonic()

        async def all_done() -> bool:
            return (await probe.counts(runtime))[0] >= total

        await eventually(all_done, 120)
        recovered_in = time.monotonic() - back_at
        consumer = f"{probe.name}--effect"

        async def settled() -> bool:
            info = await runtime.js.consumer_info("PLANNER_EVENTS", consumer)
            return info.num_pending == 0 and info.num_ack_pending == 0

        await eventually(settled, 30)
        await asyncio.sleep(0.5)
        assert await probe.counts(runtime) == (total, total)
        assert await list_dead_letters(runtime.js, consumer) == []
        print(f"outage {back_at - stopped_at:.1f}s; all {total} handled "
              f"{recovered_in:.1f}s after PostgreSQL was back; 0 dead-lettered")
