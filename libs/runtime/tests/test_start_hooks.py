"""What a service's start hooks provide is there for the first message it handles, even one that
was waiting in the stream before the service started."""

from __future__ import annotations

import asyncio
import uuid

import nats
import pytest
from sqlalchemy import MetaData, create_engine, text

from igny8_contracts import Command
from igny8_runtime.db import sqlalchemy_url
from igny8_runtime.handling import HandlerContext
from igny8_runtime.operations import send_command
from igny8_runtime.service import Service, ServiceRuntime, create_runtime, running
from igny8_runtime.settings import ServiceSettings
from igny8_runtime.streams import declare_streams
from igny8_runtime.uow import UnitOfWork

pytestmark = pytest.mark.integration


class ProbeStartHooks(Command):
    subject_base = "cmd.planner.start_hook_probe.run"
    probe: uuid.UUID


class Engine:
    """Something a start hook builds (slowly) for handlers to share."""


async def test_a_waiting_message_is_handled_after_the_start_hooks(database_url: str,
                                                                  nats_url: str) -> None:
    name = f"hooked{uuid.uuid4().hex[:8]}"
    metadata = MetaData(schema=name)
    service: Service[UnitOfWork] = Service(name, metadata, UnitOfWork)
    engine = create_engine(sqlalchemy_url(database_url))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
        metadata.create_all(conn)
    engine.dispose()
    probe = uuid.uuid4()
    seen: list[str] = []
    handled = asyncio.Event()

    @service.on_start
    async def build_engine(runtime: ServiceRuntime) -> None:
        await asyncio.sleep(0.5)
        runtime.provide(Engine())

    @service.on_event(ProbeStartHooks, "run")
    async def run(command: ProbeStartHooks, uow: UnitOfWork, ctx: HandlerContext) -> None:
        if command.probe != probe:
            return  # an earlier session's probe (the new durable reads the whole stream)
        seen.append(type(ctx.get(Engine)).__name__)
        handled.set()

    nc = await nats.connect(nats_url)
    try:
        await declare_streams(nc.jetstream(), replicas=1)
        await send_command(nc.jetstream(), ProbeStartHooks(probe=probe),
                           account_id=uuid.uuid4(), source="test")
    finally:
        await nc.drain()

    settings = ServiceSettings(service_name=name, database_url=database_url, nats_url=nats_url,
                               consumer_backoff_seconds=30.0)
    runtime = create_runtime(service, settings)
    async with running(runtime):
        await asyncio.wait_for(handled.wait(), timeout=20)
    # found at the first delivery (a failed one would wait 30 s for its retry)
    assert seen == ["Engine"]
