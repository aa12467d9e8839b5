"""The operations read model: recording accepted commands, applying the running services'
updates, and reading operations as the actor may see them (others answer NotFound)."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from igny8_contracts.operations import OperationUpdate
from igny8_gateway.domain.errors import NotFound
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.operations import Operation, can_see_operation
from igny8_gateway.service_layer.common import Listing, Page, site_scope
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.logging import get_logger

log = get_logger(__name__)


async def record_accepted(
    uow: GatewayUnitOfWork, *, operation_id: uuid.UUID, account_id: uuid.UUID, kind: str,
    site_id: uuid.UUID | None = None, requested_by: uuid.UUID | None = None,
    message: str = "Queued.",
) -> Operation:
    """After the command was queued: the operation answers at once with state ``accepted``.
    If the running service's first update got here first, that update stays."""
    accepted = Operation.accepted(operation_id, account_id, kind, site_id=site_id,
                                  requested_by=requested_by, message=message)
    async with uow:
        if not await uow.operations.add(accepted):
            current = await uow.operations.get(account_id, operation_id, lock=True)
            if current is not None and current.requested_by is None:
                await uow.operations.save(replace(current, requested_by=requested_by))
        await uow.commit()
    return accepted


async def apply_update(uow: GatewayUnitOfWork, update: OperationUpdate) -> bool:
    """Inside the consumer's unit of work: keep ``update`` if it is newer than what we have.
    Returns whether it was kept."""
    if await uow.operations.add(Operation.from_update(update)):
        return True
    current = await uow.operations.get(update.account_id, update.operation_id, lock=True)
    if current is None or not current.accepts(update):
        log.info("operation update ignored", operation_id=str(update.operation_id),
                 sequence=update.sequence, state=update.state)
        return False
    await uow.operations.save(current.updated_by(update))
    return True


async def get_operation(
    uow: GatewayUnitOfWork, actor: Actor, operation_id: uuid.UUID
) -> Operation:
    async with uow:
        operation = await uow.operations.get(actor.account_id, operation_id)
        if operation is None or not can_see_operation(actor, operation,
                                                      await site_scope(uow, actor)):
            raise NotFound("Operation not found.")
    return operation


async def list_operations(
    uow: GatewayUnitOfWork, actor: Actor, page: Page, *, state: str | None = None,
    kind: str | None = None,
) -> Listing[Operation]:
    async with uow:
        found, count = await uow.operations.list(
            actor.account_id, sites=await site_scope(uow, actor), requested_by=actor.user_id,
            state=state, kind=kind, offset=page.offset, limit=page.size)
    return Listing(found, count)


def stale_reason(quiet_for: timedelta) -> str:
    minutes = max(1, round(quiet_for.total_seconds() / 60))
    return (f"No progress was reported for {minutes} minutes: the work stopped (the service "
            "running it was stopped or lost its database or message bus and did not come "
            "back to it). Credits held for it are released when their reservation lapses; "
            "start the operation again.")


async def fail_stale_operations(uow: GatewayUnitOfWork, now: datetime, quiet_for: timedelta,
                                limit: int) -> int:
    """No operation stays ``accepted`` or ``running`` forever: one with no update for
    ``quiet_for`` is failed with the reason. If its work does finish later, its final update
    (a newer sequence) still replaces this."""
    async with uow:
        failed = await uow.operations.fail_stale(now - quiet_for, stale_reason(quiet_for),
                                                 time.time_ns() // 1000, limit)
        await uow.commit()
    for operation_id in failed:
        log.warning("operation failed: no progress reported", operation_id=str(operation_id),
                    quiet_seconds=quiet_for.total_seconds())
    return len(failed)
