"""``/api/v1/operations/``: long-running operations (also at the original system's
``/api/v1/system/settings/task_progress/{id}/``), and ``accept_operation`` for routes that
start one (queue the command durably, answer 202 with the operation id)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_gateway.domain.operations import Operation
from igny8_gateway.entrypoints.deps import CurrentActor, Paging, Uow
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.service_layer import operations
from igny8_runtime.responses import ok, paginated

router = api_router("/api/v1/operations", "operations")
task_progress_router = api_router("/api/v1/system/settings/task_progress", "operations")
routers = (router, task_progress_router)

StateFilter = Literal["accepted", "running", "succeeded", "failed", "cancelled"]


def operation_view(operation: Operation) -> dict[str, Any]:
    return {
        "id": operation.id,
        "task_id": operation.id,
        "account_id": operation.account_id,
        "site_id": operation.site_id,
        "kind": operation.kind,
        "state": operation.state,
        "phase": operation.phase,
        "percent": operation.percent,
        "message": operation.message,
        "result": operation.result,
        "error": operation.error,
        "cost": operation.cost,
        "is_final": operation.is_final,
        "created_at": operation.created_at,
        "updated_at": operation.updated_at,
        # The original system's progress modal reads these.
        "meta": {"phase": operation.phase, "percentage": operation.percent,
                 "message": operation.message, "cost": operation.cost},
    }


@router.get("/", summary="The account's operations, newest first")
async def list_operations(
    request: Request, actor: CurrentActor, uow: Uow, page: Paging,
    state: Annotated[StateFilter | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=100)] = None,
) -> JSONResponse:
    listing = await operations.list_operations(uow, actor, page, state=state, kind=kind)
    return paginated(request, [operation_view(o) for o in listing.items], listing.count,
                     page.number, page.size)


@router.get("/{operation_id}/", summary="An operation's state, phase, percentage and result")
async def get_operation(operation_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(operation_view(await operations.get_operation(uow, actor, operation_id)))


@task_progress_router.get("/{operation_id}/", summary="Same as /api/v1/operations/{id}/")
async def task_progress(operation_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(operation_view(await operations.get_operation(uow, actor, operation_id)))
