"""The operations read model follows every service's OperationUpdated events."""

from __future__ import annotations

from igny8_contracts.operations import OPERATION_EVENTS, OperationUpdate
from igny8_gateway.app import service
from igny8_gateway.service_layer.operations import apply_update
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.handling import HandlerContext


async def on_operation_updated(event: OperationUpdate, uow: GatewayUnitOfWork,
                               ctx: HandlerContext) -> None:
    """Keeps the newest state of each operation (late or repeated updates are ignored)."""
    await apply_update(uow, event)


for _event_type in OPERATION_EVENTS:
    service.on_event(_event_type, f"operations-{_event_type.owner()}")(on_operation_updated)
