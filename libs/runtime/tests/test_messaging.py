"""The shared messaging machinery against real NATS JetStream and PostgreSQL.

A probe service records one row per effect; the tests drive it through the outbox, the relay,
the consumer wrapper and the dead-letter tools, and count effects.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import nats
import pytest
import structlog
import structlog.testing
from pydantic import BaseModel
from sqlalchemy import Column, MetaData, String, Table, Uuid, create_engine, func, select, text

from igny8_contracts import Envelope, Query
from igny8_contracts.messages import Event
from igny8_runtime.db import sqlalchemy_url
from igny8_runtime.deadletter import list_dead_letters, replay
from igny8_runtime.handling import HandlerContext
from igny8_runtime.relay import OutboxRelay
from igny8_runtime.rpc import OwnerUnavailable, Refused, ask
from igny8_runtime.service import Service, ServiceRuntime, create_runtime, running
from igny8_runtime.settings import ServiceSettings
from igny8_runtime.uow import UnitOfWork

pytestmark = pytest.mark.integration


class ProbeHappened(Event):
    subject_base = "evt.planner.probe.happened"
    label: str


class Echo(BaseModel):
    echo: str
    account: str


class ProbeQuery(Query[Echo]):
    subject_base = "qry.planner.probe.get"
    label: str


Behaviour = Callable[[ProbeHappened], Awaitable[None]]


class Probe:
    """A throwaway service with its own schema, consumer names and an ``effects`` table."""

    def __init__(self, database_url: str, nats_url: str, behaviour: Behaviour | None = None,
                 **settings: Any) -> None:
        self.name = f"probe{uuid.uuid4().hex[:8]}"
        self.metadata = MetaData(schema=self.name)
        self.effects = Table("effects", self.metadata, Column("message_id", Uuid),
                             Column("label", String(100)))
        self.service: Service[UnitOfWork] = Service(self.name, self.metadata, UnitOfWork)
        self.behaviour = behaviour
        self.settings = ServiceSettings(
            service_name=self.name, database_url=database_url, nats_url=nats_url,
            consumer_max_attempts=3, consumer_backoff_seconds=0.05,
            consumer_ack_wait_seconds=2.0, relay_poll_seconds=0.2, **settings,
        )
        engine = create_engine(sqlalchemy_url(database_url))
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
            self.metadata.create_all(conn)
        engine.dispose()

        @self.service.on_event(ProbeHappened, "effect")
        async def record(event: ProbeHappened, uow: UnitOfWork, ctx: HandlerContext) -> None:
            if self.behaviour is not None:
                await self.behaviour(event)
            await uow.session.execute(
                self.effects.insert().values(message_id=ctx.envelope.id, label=event.label))

        @self.service.on_query(ProbeQuery, read_only=True)
        async def answer(query: ProbeQuery, uow: UnitOfWork, ctx: HandlerContext) -> Echo:
            if query.label == "slow":
                await asyncio.sleep(2)
            return Echo(echo=query.label, account=str(ctx.account_id))

    def runtime(self) -> ServiceRuntime:
        return create_runtime(self.service, self.settings)

    async def emit(self, runtime: ServiceRuntime, label: str) -> Envelope:
        async with runtime.uow() as uow:
            envelope: Envelope = uow.emit(ProbeHappened(label=label))
            await uow.commit()
        return envelope

    async def effect_count(self, runtime: ServiceRuntime, label: str | None = None) -> int:
        query = select(func.count()).select_from(self.effects)
        if label is not None:
            query = query.where(self.effects.c.label == label)
        async with runtime.db.sessions() as session:
            return int((await session.execute(query)).scalar_one())


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def consumer_state(runtime: ServiceRuntime, probe: Probe) -> Any:
    """JetStream's view of the probe's durable consumer (its pending, acknowledged and
    delivered counts; ``delivered.consumer_seq`` counts every delivery, redeliveries too)."""
    return await runtime.js.consumer_info("PLANNER_EVENTS", f"{probe.name}--effect")


async def drained(runtime: ServiceRuntime, probe: Probe) -> bool:
    """Every message on the probe's stream was delivered to its consumer and acknowledged."""
    info = await consumer_state(runtime, probe)
    return bool(info.num_pending == 0 and info.num_ack_pending == 0)


@pytest.fixture
async def probe(database_url: str, nats_url: str) -> Probe:
    return Probe(database_url, nats_url)


async def test_event_goes_through_outbox_relay_and_consumer(probe: Probe) -> None:
    async with running(probe.runtime()) as runtime:
        await probe.emit(runtime, "hello")

        async def arrived() -> bool:
            return await probe.effect_count(runtime, "hello") == 1

        await eventually(arrived)
        async with runtime.db.sessions() as session:
            unpublished = (await session.execute(
                select(func.count()).select_from(runtime.outbox)
                .where(runtime.outbox.c.published_at.is_(None)))).scalar_one()
        assert unpublished == 0


async def test_same_event_delivered_three_times_has_one_effect(probe: Probe) -> None:
    async with running(probe.runtime()) as runtime:
        envelope = Envelope.wrap(ProbeHappened(label="dup"), source="igny8/test",
                                 correlation_id="c")
        for attempt in range(3):
            # Different Nats-Msg-Id each time: JetStream stores all three; the inbox must dedupe.
            await runtime.js.publish(ProbeHappened.subject(), envelope.model_dump_json().encode(),
                                     headers={"Nats-Msg-Id": f"{envelope.id}-{attempt}"})

        await eventually(lambda: drained(runtime, probe))
        assert await probe.effect_count(runtime, "dup") == 1


class CrashAfterPublish:
    """A JetStream publisher that publishes for real, then dies before the relay marks it."""

    def __init__(self, js: Any) -> None:
        self.js = js
        self.published = 0

    async def publish(self, subject: str, payload: bytes = b"", timeout: float | None = None,
                      stream: str | None = None, headers: dict[str, str] | None = None) -> Any:
        ack = await self.js.publish(subject, payload, headers=headers)
        self.published += 1
        raise SystemExit("relay killed after publish")
        return ack


async def test_relay_killed_between_publish_and_mark_causes_no_duplicate(probe: Probe) -> None:
    runtime = probe.runtime()
    async with runtime.uow() as uow:  # committed before any relay runs
        uow.emit(ProbeHappened(label="crash"))
        await uow.commit()
    nc = await nats.connect(probe.settings.nats_url)
    js = nc.jetstream()
    before = (await js.stream_info("PLANNER_EVENTS")).state.messages
    crashing = CrashAfterPublish(js)
    with pytest.raises(SystemExit):
        await OutboxRelay(runtime.db, runtime.outbox, crashing).publish_pending()
    assert crashing.published == 1
    # The row is still unpublished: the next relay publishes it again, with the same msg id.
    assert await OutboxRelay(runtime.db, runtime.outbox, js).publish_pending() == 1
    assert (await js.stream_info("PLANNER_EVENTS")).state.messages == before + 1
    await nc.drain()
    async with running(runtime):
        async def done() -> bool:
            return await probe.effect_count(runtime, "crash") == 1

        await eventually(done)
        # Everything on the stream was delivered and acknowledged: a second copy, had
        # JetStream kept one, would have been handled by now.
        await eventually(lambda: drained(runtime, probe))
        assert await probe.effect_count(runtime, "crash") == 1


async def test_failing_handler_is_dead_lettered_then_replayed(probe: Probe) -> None:
    calls = {"n": 0}
    broken = {"yes": True}

    async def flaky(event: ProbeHappened) -> None:
        if event.label != "poison":
            return  # earlier tests' events on the same stream reach this new consumer too
        calls["n"] += 1
        if broken["yes"]:
            raise RuntimeError("downstream is broken")

    probe.behaviour = flaky
    async with running(probe.runtime()) as runtime:
        envelope = await probe.emit(runtime, "poison")
        consumer = f"{probe.name}--effect"

        async def dead() -> bool:
            return len(await list_dead_letters(runtime.js, consumer)) == 1

        await eventually(dead)
        # Acknowledged once dead-lettered: no attempt is left to come.
        await eventually(lambda: drained(runtime, probe))
        assert calls["n"] == 3  # the configured attempts, then no more
        [letter] = await list_dead_letters(runtime.js, consumer)
        assert letter.subject == ProbeHappened.subject()
        assert "downstream is broken" in letter.reason
        assert letter.attempts == 3
        assert str(envelope.id) in letter.data
        assert await probe.effect_count(runtime, "poison") == 0

        broken["yes"] = False
        await replay(runtime.js, letter.seq)

        async def healed() -> bool:
            return await probe.effect_count(runtime, "poison") == 1

        await eventually(healed)
        assert await list_dead_letters(runtime.js, consumer) == []


async def test_invalid_message_is_dead_lettered_not_dropped(probe: Probe) -> None:
    async with running(probe.runtime()) as runtime:
        await runtime.js.publish(ProbeHappened.subject(), b'{"not": "an envelope"}',
                                 headers={"Nats-Msg-Id": str(uuid.uuid4())})
        consumer = f"{probe.name}--effect"

        async def dead() -> bool:
            return len(await list_dead_letters(runtime.js, consumer)) == 1

        await eventually(dead)
        [letter] = await list_dead_letters(runtime.js, consumer)
        assert letter.reason.startswith("invalid message")


async def test_request_reply_answers_and_times_out(probe: Probe) -> None:
    async with running(probe.runtime()) as runtime:
        account = uuid.uuid4()
        result = await ask(runtime.broker, ProbeQuery(label="hi"), account_id=account,
                           source="test", timeout=2.0)
        assert result == Echo(echo="hi", account=str(account))

        started = asyncio.get_running_loop().time()
        with pytest.raises(OwnerUnavailable):
            await ask(runtime.broker, ProbeQuery(label="slow"), account_id=None, source="test",
                      timeout=0.3)
        assert asyncio.get_running_loop().time() - started < 1.5


async def test_query_with_no_owner_fails_fast(probe: Probe) -> None:
    runtime = probe.runtime()
    await runtime.broker.connect()
    try:
        class NobodyAnswers(Query[Echo]):
            subject_base = "qry.writer.nobody.get"

        started = asyncio.get_running_loop().time()
        with pytest.raises(OwnerUnavailable):
            await ask(runtime.broker, NobodyAnswers(), account_id=None, source="test", timeout=3.0)
        assert asyncio.get_running_loop().time() - started < 1.0
    finally:
        await runtime.broker.stop()


async def test_trace_context_crosses_nats_through_outbox_and_request_reply(probe: Probe) -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from igny8_runtime.telemetry import configure_tracing

    exporter = InMemorySpanExporter()
    configure_tracing(probe.name, "none").add_span_processor(SimpleSpanProcessor(exporter))
    seen: dict[str, int] = {}

    async def remember_trace(event: ProbeHappened) -> None:
        if event.label == "traced":
            seen["consumer"] = trace.get_current_span().get_span_context().trace_id

    probe.behaviour = remember_trace
    async with running(probe.runtime()) as runtime:
        with trace.get_tracer("test").start_as_current_span("POST /api/v1/something") as root:
            trace_id = root.get_span_context().trace_id
            await probe.emit(runtime, "traced")
            await ask(runtime.broker, ProbeQuery(label="traced"), account_id=None, source="t",
                      timeout=2.0)

        async def consumed() -> bool:
            return "consumer" in seen

        await eventually(consumed)
    assert seen["consumer"] == trace_id
    spans = exporter.get_finished_spans()
    traced = [s for s in spans if s.context.trace_id == trace_id]
    kinds = {s.kind for s in traced}
    # Root, the relay's producer span, the consumer span, and the request/reply pair.
    assert trace.SpanKind.PRODUCER in kinds
    assert trace.SpanKind.CONSUMER in kinds
    assert any(ProbeQuery.subject() in s.name for s in traced)
    assert any(ProbeHappened.subject() in s.name and s.kind == trace.SpanKind.CONSUMER
               for s in traced)


async def test_long_handler_is_kept_in_progress_not_redelivered(probe: Probe) -> None:
    calls = {"n": 0}

    async def slow(event: ProbeHappened) -> None:
        if event.label == "slow":
            calls["n"] += 1
            await asyncio.sleep(5)  # well past the 2 s ack wait

    probe.behaviour = slow
    with structlog.testing.capture_logs() as logs:
        # Two replicas: a redelivery would reach the idle one while the other still works.
        async with running(probe.runtime()) as runtime, running(probe.runtime()):
            # (a new durable first reads the earlier tests' events on the stream)
            await eventually(lambda: drained(runtime, probe))
            deliveries_before = (await consumer_state(runtime, probe)).delivered.consumer_seq
            envelope = await probe.emit(runtime, "slow")

            async def done() -> bool:
                return await probe.effect_count(runtime, "slow") == 1

            await eventually(done, timeout=20)
            await eventually(lambda: drained(runtime, probe))
            # JetStream counts every delivery, a redelivery too: the one message went out once.
            # (A redelivery can only happen before the acknowledgement, so this is final.)
            deliveries = (await consumer_state(runtime, probe)).delivered.consumer_seq
    assert deliveries - deliveries_before == 1, "JetStream redelivered a message in progress"
    assert calls["n"] == 1
    redelivered = [e for e in logs if e.get("event") == "duplicate delivery skipped"
                   and e.get("message_id") == str(envelope.id)]
    assert redelivered == [], "JetStream redelivered a message whose handler was still working"


async def test_request_about_another_account_is_refused_by_the_runtime(probe: Probe) -> None:
    class AccountScoped(Query[Echo]):
        subject_base = "qry.writer.scoped.get"
        account_id: uuid.UUID

    called = {"n": 0}

    @probe.service.on_query(AccountScoped, read_only=True)
    async def scoped(query: AccountScoped, uow: UnitOfWork, ctx: HandlerContext) -> Echo:
        called["n"] += 1
        return Echo(echo="scoped", account=str(query.account_id))

    async with running(probe.runtime()) as runtime:
        mine = uuid.uuid4()
        allowed = await ask(runtime.broker, AccountScoped(account_id=mine), account_id=mine,
                            source="t", timeout=2.0)
        with pytest.raises(Refused) as refused:
            await ask(runtime.broker, AccountScoped(account_id=uuid.uuid4()),
                      account_id=mine, source="t", timeout=2.0)
    assert allowed == Echo(echo="scoped", account=str(mine))
    assert refused.value.status == 404
    assert called["n"] == 1
