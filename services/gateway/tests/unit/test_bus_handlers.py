"""The gateway's bus handlers on the in-memory unit of work (no NATS, no PostgreSQL): billing's
plan changes set the account's limits, and the operations read model keeps only newer updates.
The real consumers run in tests/e2e (test_limits.py, test_operations*.py)."""

from __future__ import annotations

import uuid
from typing import Any

from igny8_contracts import Envelope
from igny8_contracts.billing import AccountPlanChanged
from igny8_contracts.operations import OPERATION_EVENTS, PlannerOperationUpdated
from igny8_gateway.app import load
from igny8_gateway.domain.model import Account
from igny8_gateway.entrypoints.messages import on_account_plan_changed
from igny8_gateway.entrypoints.operation_events import on_operation_updated
from igny8_runtime.handling import HandlerContext
from services.gateway.tests.fakes import FakeGatewayUnitOfWork


def context(message: Any, account_id: uuid.UUID) -> HandlerContext:
    """A handler's context with no running service behind it (these handlers need none)."""
    runtime: Any = None
    envelope = Envelope.wrap(message, source="igny8/test", correlation_id="c",
                             account_id=account_id)
    return HandlerContext(envelope, runtime)


async def test_a_plan_change_sets_the_accounts_limits() -> None:
    uow = FakeGatewayUnitOfWork()
    account = Account(id=uuid.uuid4(), name="Acme", plan_slug="free", max_sites=1, max_users=1)
    await uow.accounts.add(account)
    event = AccountPlanChanged(account_id=account.id, plan_slug="growth", max_sites=10,
                               max_users=8)
    async with uow:
        await on_account_plan_changed(event, uow, context(event, account.id))
    changed = await uow.accounts.get(account.id)
    assert changed is not None
    assert (changed.plan_slug, changed.max_sites, changed.max_users) == ("growth", 10, 8)


async def test_a_plan_change_for_an_unknown_account_changes_nothing() -> None:
    uow = FakeGatewayUnitOfWork()
    stranger = uuid.uuid4()
    event = AccountPlanChanged(account_id=stranger, plan_slug="growth", max_sites=10,
                               max_users=8)
    async with uow:
        await on_account_plan_changed(event, uow, context(event, stranger))
    assert uow.accounts.rows == {}


def update(account_id: uuid.UUID, operation_id: uuid.UUID, sequence: int,
           state: str = "running", percent: int = 10) -> PlannerOperationUpdated:
    return PlannerOperationUpdated(
        operation_id=operation_id, account_id=account_id, operation_type="planner.keywords.import",
        state=state, phase="PREP", percent=percent, sequence=sequence)  # type: ignore[arg-type]


async def applied(uow: FakeGatewayUnitOfWork, event: PlannerOperationUpdated) -> None:
    async with uow:
        await on_operation_updated(event, uow, context(event, event.account_id))


async def test_operation_updates_are_kept_only_when_newer() -> None:
    uow = FakeGatewayUnitOfWork()
    account_id, operation_id = uuid.uuid4(), uuid.uuid4()
    await applied(uow, update(account_id, operation_id, 5, percent=50))
    await applied(uow, update(account_id, operation_id, 3, percent=30))  # late
    await applied(uow, update(account_id, operation_id, 5, percent=55))  # same sequence
    kept = await uow.operations.get(account_id, operation_id)
    assert kept is not None and (kept.sequence, kept.percent) == (5, 50)

    await applied(uow, update(account_id, operation_id, 9, state="succeeded", percent=100))
    await applied(uow, update(account_id, operation_id, 12, state="running", percent=60))
    final = await uow.operations.get(account_id, operation_id)
    assert final is not None and (final.state, final.sequence, final.percent) == (
        "succeeded", 9, 100)


async def test_another_account_cannot_take_over_an_operation() -> None:
    uow = FakeGatewayUnitOfWork()
    account_id, operation_id = uuid.uuid4(), uuid.uuid4()
    await applied(uow, update(account_id, operation_id, 1))
    await applied(uow, update(uuid.uuid4(), operation_id, 2, state="failed"))
    kept = await uow.operations.get(account_id, operation_id)
    assert kept is not None and (kept.state, kept.sequence) == ("running", 1)


def test_the_bus_consumers_keep_their_durable_names() -> None:
    """JetStream consumers are named by these: a new name would be a new consumer."""
    durables = {sub.durable: sub.message_type for sub in load().subscriptions}
    assert durables["gateway--apply-plan-limits"] is AccountPlanChanged
    for event_type in OPERATION_EVENTS:
        assert durables[f"gateway--operations-{event_type.owner()}"] is event_type
