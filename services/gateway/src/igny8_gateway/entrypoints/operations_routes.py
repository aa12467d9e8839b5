"""``/api/v1/operations/``: long-running operations (also at the original system's
``/api/v1/system/settings/task_progress/{id}/``); routes start them with
``accepting.accept_operation``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse
from starlette.requests import Request

from igny8_contracts.operations import OperationState
from igny8_gateway.entrypoints.deps import CurrentActor, Paging, Uow
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.views import OperationView, operation_view
from igny8_gateway.service_layer import operations
from igny8_runtime.responses import Listing, Ok, ok, paginated

router = api_router("/api/v1/operations", "operations")
task_progress_router = api_router("/api/v1/system/settings/task_progress", "operations")
routers = (router, task_progress_router)


@router.get("/", response_model=Listing[OperationView],
            summary="The account's operations, newest first")
async def list_operations(
    request: Request, actor: CurrentActor, uow: Uow, page: Paging,
    state: Annotated[OperationState | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=100)] = None,
) -> JSONResponse:
    listing = await operations.list_operations(uow, actor, page, state=state, kind=kind)
    return paginated(request, [operation_view(o) for o in listing.items], listing.count,
                     page.number, page.size)


@router.get("/{operation_id}/", response_model=Ok[OperationView],
            summary="An operation's state, phase, percentage and result")
async def get_operation(operation_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(operation_view(await operations.get_operation(uow, actor, operation_id)))


@task_progress_router.get("/{operation_id}/", response_model=Ok[OperationView],
                          summary="Same as /api/v1/operations/{id}/")
async def get_task_progress(operation_id: uuid.UUID, actor: CurrentActor, uow: Uow) -> JSONResponse:
    return ok(operation_view(await operations.get_operation(uow, actor, operation_id)))
