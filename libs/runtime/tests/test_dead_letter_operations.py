"""A command that runs an operation and is dead-lettered fails its operation (the owner's
OperationUpdated, through the outbox), instead of leaving it "running" forever; a command
without an operation id, and a handler whose work was committed, fail nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select, text

from igny8_contracts import Command, Envelope
from igny8_contracts.operations import PlannerOperationUpdated
from igny8_runtime.consumers import Reject
from igny8_runtime.db import sqlalchemy_url
from igny8_runtime.deadletter import list_dead_letters
from igny8_runtime.handling import HandlerContext
from igny8_runtime.operations import dead_letter_failure, send_command
from igny8_runtime.service import Service, ServiceRuntime, create_runtime, running
from igny8_runtime.settings import ServiceSettings
from igny8_runtime.uow import UnitOfWork

pytestmark = pytest.mark.integration


class RunDoomed(Command):
    subject_base = "cmd.planner.doomed_probe.run"
    operation_id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID | None = None
    mode: str = "raise"


class NoteDoomed(Command):
    subject_base = "cmd.planner.doomed_probe.note"
    label: str


class DoomedService:
    """A throwaway service (own schema) whose handler fails as each command asks."""

    def __init__(self, database_url: str, nats_url: str) -> None:
        self.name = f"doomed{uuid.uuid4().hex[:8]}"
        metadata = MetaData(schema=self.name)
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

        # Commands this instance sent; a new durable also reads earlier tests' RunDoomed
        # commands (deliver policy ALL), which it acknowledges without failing them again.
        self.sent: set[uuid.UUID] = set()

        @self.service.on_event(RunDoomed, "run")
        async def run(command: RunDoomed, uow: UnitOfWork, ctx: HandlerContext) -> None:
            if command.operation_id not in self.sent:
                return
            if command.mode == "reject":
                raise Reject("this can never work")
            if command.mode == "raise":
                raise RuntimeError("the model server is on fire")

        @self.service.on_event(NoteDoomed, "note")
        async def note(command: NoteDoomed, uow: UnitOfWork, ctx: HandlerContext) -> None:
            raise RuntimeError("notes always fail")

    def runtime(self) -> ServiceRuntime:
        return create_runtime(self.service, self.settings)

    async def updates(self, runtime: ServiceRuntime) -> list[dict[str, Any]]:
        outbox = self.service.outbox
        async with runtime.db.sessions() as session:
            rows = await session.execute(
                select(outbox.c.payload).where(
                    outbox.c.subject == PlannerOperationUpdated.subject()))
            return [row.payload["data"] for row in rows]


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def drained(runtime: ServiceRuntime, consumer: str) -> bool:
    """Every message of the durable ``consumer`` was delivered and acknowledged (a failing one
    is acknowledged only after it was dead-lettered and its operation failed)."""
    info = await runtime.js.consumer_info("COMMANDS", consumer)
    return info.num_pending == 0 and info.num_ack_pending == 0


@pytest.mark.parametrize("mode", ["raise", "reject"])
async def test_a_dead_lettered_command_fails_its_operation(database_url: str, nats_url: str,
                                                           mode: str) -> None:
    doomed = DoomedService(database_url, nats_url)
    account_id, site_id, operation_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with running(doomed.runtime()) as runtime:
        doomed.sent.add(operation_id)
        await send_command(runtime.js, RunDoomed(operation_id=operation_id, account_id=account_id,
                                                 site_id=site_id, mode=mode),
                           account_id=account_id, source="test")
        consumer = f"{doomed.name}--run"

        async def failed() -> bool:
            return any(u["operation_id"] == str(operation_id) for u in await doomed.updates(runtime))

        await eventually(failed)
        [letter] = [d for d in await list_dead_letters(runtime.js, consumer)
                    if str(operation_id) in d.data]
        [update] = [u for u in await doomed.updates(runtime)
                    if u["operation_id"] == str(operation_id)]
        assert (update["state"], update["account_id"], update["site_id"]) == (
            "failed", str(account_id), str(site_id))
        assert update["operation_type"] == "planner.doomed_probe.run"
        expected = "the model server is on fire" if mode == "raise" else "this can never work"
        assert expected in update["error"] and expected in letter.reason
        assert "operator" in update["error"]


async def test_commands_without_an_operation_fail_nothing(database_url: str,
                                                          nats_url: str) -> None:
    doomed = DoomedService(database_url, nats_url)
    async with running(doomed.runtime()) as runtime:
        await send_command(runtime.js, NoteDoomed(label="x"), account_id=uuid.uuid4(),
                           source="test")

        async def dead() -> bool:
            return bool(await list_dead_letters(runtime.js, f"{doomed.name}--note"))

        await eventually(dead)
        # Both consumers done: the note was acknowledged after its dead-lettering (which is
        # when an operation would have been failed), and the earlier tests' RunDoomed commands
        # this new "run" consumer also reads were handled (they are not this instance's:
        # acknowledged, failing nothing).
        await eventually(lambda: drained(runtime, f"{doomed.name}--note"))
        await eventually(lambda: drained(runtime, f"{doomed.name}--run"))
        assert await doomed.updates(runtime) == []


def test_only_commands_with_an_operation_id_have_a_failure_update() -> None:
    command = RunDoomed(operation_id=uuid.uuid4(), account_id=uuid.uuid4())
    envelope = Envelope.wrap(command, source="igny8/test", correlation_id="c")
    update = dead_letter_failure(command, envelope, "boom")
    assert isinstance(update, PlannerOperationUpdated)
    assert update.is_final and update.site_id is None
    note = NoteDoomed(label="x")
    assert dead_letter_failure(note, Envelope.wrap(note, source="igny8/test",
                                                   correlation_id="c"), "boom") is None
