"""send_command against real JetStream; OperationReporter against a real outbox table."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import nats
import nats.errors
import pytest
from nats.js import JetStreamContext
from nats.js.api import PubAck
from sqlalchemy import MetaData, create_engine, select, text

from igny8_contracts import Command, Envelope
from igny8_contracts.operations import PlannerOperationUpdated, WriterOperationUpdated
from igny8_runtime.db import Database, sqlalchemy_url
from igny8_runtime.operations import CommandNotAccepted, OperationReporter, send_command
from igny8_runtime.outbox import messaging_tables
from igny8_runtime.streams import declare_streams
from igny8_runtime.uow import UnitOfWork

pytestmark = pytest.mark.integration


class RunProbe(Command):
    subject_base = "cmd.planner.operations_probe.run"
    operation_id: uuid.UUID


@pytest.fixture
async def js(nats_url: str) -> AsyncIterator[JetStreamContext]:
    nc = await nats.connect(nats_url)
    context = nc.jetstream()
    await declare_streams(context)
    yield context
    await nc.drain()


async def stored_count(js: JetStreamContext, subject: str) -> int:
    info = await js.stream_info("COMMANDS", subjects_filter=subject)
    return int((info.state.subjects or {}).get(subject, 0))


async def test_send_command_is_stored_in_commands_before_it_returns(js: JetStreamContext) -> None:
    command = RunProbe(operation_id=uuid.uuid4())
    account_id = uuid.uuid4()

    envelope = await send_command(js, command, account_id=account_id, source="gateway")

    stored = await js.get_last_msg("COMMANDS", RunProbe.subject())
    assert stored.headers is not None
    assert stored.headers["Nats-Msg-Id"] == str(envelope.id)
    assert stored.data is not None
    received = Envelope.model_validate_json(stored.data)
    assert received.id == envelope.id
    assert received.account_id == account_id
    assert received.source == "igny8/gateway"
    assert received.open(RunProbe) == command


async def test_same_message_id_is_stored_once(js: JetStreamContext) -> None:
    before = await stored_count(js, RunProbe.subject())
    message_id = uuid.uuid4()
    command = RunProbe(operation_id=uuid.uuid4())
    first = await send_command(js, command, account_id=None, source="gateway",
                               message_id=message_id)
    again = await send_command(js, command, account_id=None, source="gateway",
                               message_id=message_id)
    assert first.id == again.id == message_id
    assert await stored_count(js, RunProbe.subject()) == before + 1
    await send_command(js, command, account_id=None, source="gateway")
    assert await stored_count(js, RunProbe.subject()) == before + 2


class _SilentJetStream:
    async def publish(self, subject: str, payload: bytes = b"", timeout: float | None = None,
                      stream: str | None = None, headers: dict[str, str] | None = None) -> PubAck:
        raise nats.errors.TimeoutError


async def test_unacknowledged_command_raises_instead_of_returning() -> None:
    with pytest.raises(CommandNotAccepted):
        await send_command(_SilentJetStream(), RunProbe(operation_id=uuid.uuid4()),
                           account_id=None, source="gateway")


async def test_only_commands_can_be_sent(js: JetStreamContext) -> None:
    update = PlannerOperationUpdated(
        operation_id=uuid.uuid4(), account_id=uuid.uuid4(), operation_type="planner.x.y",
        state="running", phase="INIT", percent=0, sequence=1)
    with pytest.raises(TypeError):
        await send_command(js, update, account_id=None, source="planner")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ reporter


class Outbox:
    """A throwaway schema with the messaging tables, and units of work on it."""

    def __init__(self, database_url: str) -> None:
        self.schema = f"ops{uuid.uuid4().hex[:8]}"
        self.metadata = MetaData(schema=self.schema)
        self.outbox, self.inbox = messaging_tables(self.metadata)
        engine = create_engine(sqlalchemy_url(database_url))
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            self.metadata.create_all(conn)
        engine.dispose()
        self.db = Database.connect(database_url, self.schema, pool_size=2)

    def uow(self, service: str) -> UnitOfWork:
        return UnitOfWork(self.db, self.outbox, self.inbox, service)

    async def rows(self) -> list[Any]:
        async with self.db.sessions() as session:
            query = select(self.outbox.c.subject, self.outbox.c.payload).order_by(
                self.outbox.c.seq)
            return list((await session.execute(query)).all())


@pytest.fixture
async def outbox(database_url: str) -> AsyncIterator[Outbox]:
    box = Outbox(database_url)
    yield box
    await box.db.dispose()


async def test_reporter_emits_ordered_updates_of_the_running_service(outbox: Outbox) -> None:
    operation_id, account_id, site_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    reporter = OperationReporter(operation_id, account_id, "planner.keywords.cluster",
                                 site_id=site_id)
    async with outbox.uow("planner") as uow:
        reporter.update(uow, phase="PREP", percent=10, message="Loading keywords")
        reporter.update(uow, phase="AI_CALL", percent=45)
        await uow.commit()
    async with outbox.uow("planner") as uow:
        reporter.succeed(uow, {"clusters": 3}, cost=7)
        await uow.commit()

    rows = await outbox.rows()
    assert {row.subject for row in rows} == {PlannerOperationUpdated.subject()}
    envelopes = [Envelope.model_validate(row.payload) for row in rows]
    updates = [e.open(PlannerOperationUpdated) for e in envelopes]
    assert [(u.state, u.phase, u.percent) for u in updates] == [
        ("running", "PREP", 10), ("running", "AI_CALL", 45), ("succeeded", "DONE", 100)]
    sequences = [u.sequence for u in updates]
    assert sequences == sorted(sequences)
    assert len(set(sequences)) == 3
    assert all(e.account_id == account_id for e in envelopes)
    assert all(u.operation_id == operation_id and u.site_id == site_id for u in updates)
    assert updates[0].message == "Loading keywords"
    assert (updates[2].result, updates[2].cost) == ({"clusters": 3}, 7)


async def test_progress_rolls_back_with_the_work(outbox: Outbox) -> None:
    reporter = OperationReporter(uuid.uuid4(), uuid.uuid4(), "writer.content.generate")
    async with outbox.uow("writer") as uow:
        reporter.update(uow, phase="AI_CALL", percent=30)
    assert await outbox.rows() == []


async def test_failure_keeps_the_phase_and_a_retry_reports_newer_sequences(outbox: Outbox) -> None:
    operation_id, account_id = uuid.uuid4(), uuid.uuid4()
    first = OperationReporter(operation_id, account_id, "writer.content.generate")
    async with outbox.uow("writer") as uow:
        first.update(uow, phase="AI_CALL", percent=60)
        failed = first.fail(uow, "provider timed out")
        await uow.commit()
    assert isinstance(failed, WriterOperationUpdated)
    assert (failed.state, failed.phase, failed.percent, failed.error) == (
        "failed", "AI_CALL", 60, "provider timed out")

    retry = OperationReporter(operation_id, account_id, "writer.content.generate")
    async with outbox.uow("writer") as uow:
        again = retry.update(uow, phase="INIT", percent=0)
        await uow.commit()
    assert again.sequence > failed.sequence


async def test_a_service_without_operation_events_cannot_report(outbox: Outbox) -> None:
    reporter = OperationReporter(uuid.uuid4(), uuid.uuid4(), "gateway.something.run")
    async with outbox.uow("gateway") as uow:
        with pytest.raises(KeyError):
            reporter.update(uow, phase="INIT", percent=0)


async def test_an_oversized_result_still_succeeds_the_operation(outbox: Outbox) -> None:
    reporter = OperationReporter(uuid.uuid4(), uuid.uuid4(), "writer.content.generate")
    async with outbox.uow("writer") as uow:
        update = reporter.succeed(uow, {"ids": [str(uuid.uuid4()) for _ in range(1000)]})
        await uow.commit()
    assert update.state == "succeeded"
    assert update.result is not None and update.result["result_too_large"] is True
    assert update.result["bytes"] > 16_000
