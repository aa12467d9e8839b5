"""The operations read model against a real (migrated) gateway schema: the accepted record the
gateway writes after queueing a command, and the running service's updates around it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from igny8_contracts.operations import PlannerOperationUpdated
from igny8_gateway.adapters.orm import inbox, outbox
from igny8_gateway.domain.errors import NotFound
from igny8_gateway.domain.model import Actor, Role
from igny8_gateway.service_layer import operations
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.db import Database
from igny8_runtime.migrations import upgrade

pytestmark = pytest.mark.integration


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    await asyncio.to_thread(upgrade, "gateway", database_url)
    database = Database.connect(database_url, "gateway", pool_size=2)
    yield database
    await database.dispose()


def uow(db: Database) -> GatewayUnitOfWork:
    return GatewayUnitOfWork(db, outbox, inbox, "gateway")


def update(account_id: uuid.UUID, operation_id: uuid.UUID, sequence: int,
           state: str = "running", percent: int = 10) -> PlannerOperationUpdated:
    return PlannerOperationUpdated(
        operation_id=operation_id, account_id=account_id, operation_type="planner.keywords.import",
        state=state, phase="PREP", percent=percent, sequence=sequence)  # type: ignore[arg-type]


async def apply(db: Database, event: PlannerOperationUpdated) -> bool:
    async with uow(db) as unit:
        kept = await operations.apply_update(unit, event)
        await unit.commit()
    return kept


async def test_accepted_then_updated_keeps_who_asked(db: Database) -> None:
    account_id, operation_id = uuid.uuid4(), uuid.uuid4()
    editor = Actor(uuid.uuid4(), account_id, Role.EDITOR)
    await operations.record_accepted(uow(db), operation_id=operation_id, account_id=account_id,
                                     kind="planner.keywords.import", requested_by=editor.user_id)
    accepted = await operations.get_operation(uow(db), editor, operation_id)
    assert (accepted.state, accepted.percent, accepted.sequence) == ("accepted", 0, 0)

    assert await apply(db, update(account_id, operation_id, 5))
    running = await operations.get_operation(uow(db), editor, operation_id)
    assert (running.state, running.percent, running.requested_by) == (
        "running", 10, editor.user_id)
    assert running.created_at == accepted.created_at

    other_editor = Actor(uuid.uuid4(), account_id, Role.EDITOR)
    with pytest.raises(NotFound):
        await operations.get_operation(uow(db), other_editor, operation_id)


async def test_an_update_that_overtakes_the_accepted_record_stays(db: Database) -> None:
    account_id, operation_id = uuid.uuid4(), uuid.uuid4()
    owner = Actor(uuid.uuid4(), account_id, Role.OWNER)
    assert await apply(db, update(account_id, operation_id, 3, state="succeeded", percent=100))
    await operations.record_accepted(uow(db), operation_id=operation_id, account_id=account_id,
                                     kind="planner.keywords.import", requested_by=owner.user_id)
    found = await operations.get_operation(uow(db), owner, operation_id)
    assert (found.state, found.percent, found.requested_by) == ("succeeded", 100, owner.user_id)
    assert not await apply(db, update(account_id, operation_id, 9, state="running"))


async def test_another_account_cannot_take_over_an_operation_id(db: Database) -> None:
    account_id, operation_id = uuid.uuid4(), uuid.uuid4()
    assert await apply(db, update(account_id, operation_id, 1))
    assert not await apply(db, update(uuid.uuid4(), operation_id, 2, state="failed"))
    owner = Actor(uuid.uuid4(), account_id, Role.OWNER)
    assert (await operations.get_operation(uow(db), owner, operation_id)).state == "running"


async def test_an_operation_whose_work_died_is_failed_with_the_reason(db: Database) -> None:
    account_id = uuid.uuid4()
    owner = Actor(uuid.uuid4(), account_id, Role.OWNER)
    quiet, busy, done, queued = (uuid.uuid4() for _ in range(4))
    for operation_id in (quiet, busy, done, queued):
        await operations.record_accepted(uow(db), operation_id=operation_id,
                                         account_id=account_id, kind="planner.keywords.import")
    assert await apply(db, update(account_id, quiet, 7))
    assert await apply(db, update(account_id, done, 7, state="succeeded", percent=100))
    await asyncio.sleep(1.2)
    assert await apply(db, update(account_id, busy, 8))  # still reporting progress
    now = datetime.now(UTC)
    swept = await operations.fail_stale_operations(uow(db), now, timedelta(seconds=1), 100)
    states = {operation_id: (await operations.get_operation(uow(db), owner, operation_id))
              for operation_id in (quiet, busy, done, queued)}
    assert {k: v.state for k, v in states.items()} == {
        quiet: "failed", busy: "running", done: "succeeded", queued: "failed"}
    assert swept >= 2  # (other tests' quiet operations too)
    assert "No progress was reported" in (states[quiet].error or "")
    assert states[quiet].sequence > 7
    # The work finishing after all still wins; a late progress report does not revive it.
    assert not await apply(db, update(account_id, quiet, states[quiet].sequence + 1))
    assert await apply(db, update(account_id, quiet, states[quiet].sequence + 2,
                                  state="succeeded", percent=100))
    assert (await operations.get_operation(uow(db), owner, quiet)).state == "succeeded"
