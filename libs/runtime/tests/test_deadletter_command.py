"""The README's dead-letter command line, run as an operator would (``python -m
igny8_runtime.deadletter list | replay <seq> | replay --all``, a separate process reading
``NATS_URL``) against real JetStream, on letters a failing consumer really dead-lettered."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import Column, MetaData, String, Table, Uuid, create_engine, select, text

from igny8_contracts.messages import Event
from igny8_runtime.db import sqlalchemy_url
from igny8_runtime.deadletter import list_dead_letters
from igny8_runtime.handling import HandlerContext
from igny8_runtime.service import Service, ServiceRuntime, create_runtime, running
from igny8_runtime.settings import ServiceSettings
from igny8_runtime.uow import UnitOfWork

pytestmark = pytest.mark.integration


class ParcelShipped(Event):
    subject_base = "evt.planner.dlq_cli_probe.shipped"
    label: str


class Shipper:
    """A throwaway service whose handler fails while ``broken`` (its own schema and
    consumer), recording one ``effects`` row per handled event."""

    def __init__(self, database_url: str, nats_url: str) -> None:
        self.name = f"shipper{uuid.uuid4().hex[:8]}"
        self.consumer = f"{self.name}--ship"
        metadata = MetaData(schema=self.name)
        self.effects = Table("effects", metadata, Column("message_id", Uuid),
                             Column("label", String(100)))
        self.service: Service[UnitOfWork] = Service(self.name, metadata, UnitOfWork)
        self.settings = ServiceSettings(
            service_name=self.name, database_url=database_url, nats_url=nats_url,
            consumer_max_attempts=2, consumer_backoff_seconds=0.05,
            consumer_ack_wait_seconds=2.0, relay_poll_seconds=0.2)
        engine = create_engine(sqlalchemy_url(database_url))
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
            metadata.create_all(conn)
        engine.dispose()
        self.broken = True
        self.labels: set[str] = set()  # this test's events (a new durable reads older ones)

        @self.service.on_event(ParcelShipped, "ship")
        async def ship(event: ParcelShipped, uow: UnitOfWork, ctx: HandlerContext) -> None:
            if event.label not in self.labels:
                return
            if self.broken:
                raise RuntimeError(f"the courier lost {event.label}")
            await uow.session.execute(
                self.effects.insert().values(message_id=ctx.envelope.id, label=event.label))

    def runtime(self) -> ServiceRuntime:
        return create_runtime(self.service, self.settings)

    async def emit(self, runtime: ServiceRuntime, label: str) -> None:
        self.labels.add(label)
        async with runtime.uow() as uow:
            uow.emit(ParcelShipped(label=label))
            await uow.commit()

    async def handled(self, runtime: ServiceRuntime) -> list[str]:
        async with runtime.db.sessions() as session:
            rows = await session.execute(select(self.effects.c.label).order_by(self.effects.c.label))
            return list(rows.scalars())

    async def drained(self, runtime: ServiceRuntime) -> bool:
        info = await runtime.js.consumer_info("PLANNER_EVENTS", self.consumer)
        return bool(info.num_pending == 0 and info.num_ack_pending == 0)


def operator(nats_url: str, *args: str) -> str:
    """``python -m igny8_runtime.deadletter <args>``, as typed in a shell; its stdout."""
    done = subprocess.run([sys.executable, "-m", "igny8_runtime.deadletter", *args],
                          env={**os.environ, "NATS_URL": nats_url}, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def listed(nats_url: str, *args: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in operator(nats_url, "list", *args).splitlines()]


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def test_an_operator_lists_then_replays_one_and_then_all(database_url: str,
                                                               nats_url: str) -> None:
    shipper = Shipper(database_url, nats_url)
    async with running(shipper.runtime()) as runtime:
        for label in ("box-1", "box-2", "box-3"):
            await shipper.emit(runtime, label)

        async def all_dead() -> bool:  # (polled in-process; the command is what is checked)
            return len(await list_dead_letters(runtime.js, shipper.consumer)) == 3

        await eventually(all_dead)
        letters = await asyncio.to_thread(listed, nats_url, "--consumer", shipper.consumer)
        assert sorted(json.loads(d["data"])["data"]["label"] for d in letters) == [
            "box-1", "box-2", "box-3"]
        for letter in letters:
            assert letter["consumer"] == shipper.consumer
            assert letter["subject"] == ParcelShipped.subject()
            assert letter["attempts"] == 2
            label = json.loads(letter["data"])["data"]["label"]
            assert letter["reason"] == f"failed 2 times: RuntimeError('the courier lost {label}')"
        # Without --consumer every consumer's letters are listed, these among them.
        everyone = await asyncio.to_thread(listed, nats_url)
        assert {d["seq"] for d in letters} <= {d["seq"] for d in everyone}

        shipper.broken = False  # the fault is fixed
        first = min(letters, key=lambda d: d["seq"])
        first_label = json.loads(first["data"])["data"]["label"]
        out = await asyncio.to_thread(operator, nats_url, "replay", str(first["seq"]))
        assert out.splitlines() == [f"replayed {first['seq']} to {ParcelShipped.subject()}"]

        async def one_handled() -> bool:
            return await shipper.handled(runtime) == [first_label]

        await eventually(one_handled)
        rest = await asyncio.to_thread(listed, nats_url, "--consumer", shipper.consumer)
        assert sorted(d["seq"] for d in rest) == sorted(
            d["seq"] for d in letters if d["seq"] != first["seq"])

        out = await asyncio.to_thread(operator, nats_url, "replay", "--all", "--consumer",
                                      shipper.consumer)
        assert sorted(out.splitlines()) == sorted(
            f"replayed {d['seq']} to {ParcelShipped.subject()}" for d in rest)

        async def all_handled() -> bool:
            return await shipper.handled(runtime) == ["box-1", "box-2", "box-3"]

        await eventually(all_handled)
        await eventually(lambda: shipper.drained(runtime))
        assert await asyncio.to_thread(listed, nats_url, "--consumer", shipper.consumer) == []
        assert await shipper.handled(runtime) == ["box-1", "box-2", "box-3"]
