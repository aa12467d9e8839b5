"""Starting a long-running operation: queue its command durably, record it as accepted, answer
202 with the operation id (``/api/v1/operations/{id}/`` follows it)."""

from __future__ import annotations

import uuid

from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.requests import Request

from igny8_contracts import Command
from igny8_contracts.operations import OperationState
from igny8_gateway.domain.model import Actor
from igny8_gateway.service_layer import operations
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.http import runtime_of
from igny8_runtime.operations import send_command
from igny8_runtime.responses import ok


class OperationAccepted(BaseModel):
    """A queued operation (every 202): follow it at ``status_url`` or on
    ``/api/v1/events/stream``. ``task_id`` is ``operation_id`` under the seeds' name."""

    operation_id: uuid.UUID
    task_id: uuid.UUID
    state: OperationState
    status_url: str


def operation_path(operation_id: uuid.UUID) -> str:
    return f"/api/v1/operations/{operation_id}/"


async def accept_operation(
    request: Request, actor: Actor, command: Command, *, operation_id: uuid.UUID, kind: str,
    site_id: uuid.UUID | None = None, message: str = "Queued.",
) -> JSONResponse:
    """Queue ``command`` (its envelope id is ``operation_id``: a retried send is stored once),
    record the operation as accepted, answer 202 (``Ok[OperationAccepted]``). JetStream not
    acknowledging raises ``CommandNotAccepted``, which answers 503 + Retry-After."""
    runtime = runtime_of(request)
    await send_command(runtime.js, command, account_id=actor.account_id,
                       source=runtime.service.name, message_id=operation_id)
    uow: GatewayUnitOfWork = runtime.uow()
    operation = await operations.record_accepted(
        uow, operation_id=operation_id, account_id=actor.account_id, kind=kind,
        site_id=site_id, requested_by=actor.user_id, message=message)
    accepted = OperationAccepted(operation_id=operation.id, task_id=operation.id,
                                 state=operation.state, status_url=operation_path(operation.id))
    return ok(accepted, message, status_code=202)
