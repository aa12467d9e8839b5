"""``/api/v1/writer/tasks/``: tasks (list, read, create, change, delete, bulk delete and status)
and ``generate_content/`` (an operation: credits are reserved with billing per task first —
402 passes through with nothing sent — then 202 with ``data.operation_id``). The gateway checks
sites and sectors, then asks the writer over request/reply with the sites the caller may see;
the writer scopes every id by account and those sites (another account's task is 404)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.requests import Request

from igny8_contracts import Answered
from igny8_contracts.writer import (
    MAX_BULK,
    MAX_DESCRIPTION_LENGTH,
    MAX_GENERATE,
    MAX_TITLE_LENGTH,
    MAX_WORD_COUNT,
    CreateTask,
    DeleteTasks,
    FindTasks,
    GenerateContent,
    GetAuthorProfile,
    GetTask,
    ListTasks,
    NewTask,
    SetTaskStatus,
    TaskChanges,
    TaskContentType,
    TaskFilters,
    TaskOrdering,
    TaskReservation,
    TaskStatus,
    TaskStructure,
    UpdateTask,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import accept_operation
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.credits import Hold, release_all, reserve_all
from igny8_gateway.entrypoints.deps import CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime import rpc
from igny8_runtime.http import runtime_of
from igny8_runtime.operations import CommandNotAccepted
from igny8_runtime.responses import ApiError, ok, paginated

router = api_router("/api/v1/writer/tasks", "writer")

GENERATE_CONTENT_OPERATION = "writer.tasks.generate_content"
CONTENT_BILLING_OPERATION = "content"  # billing prices content per started 500 words


def reserved_words(target_words: int) -> int:
    """The most one article may be charged for: its target length and half again (models
    overshoot); usage above it is not charged."""
    return target_words * 3 // 2


async def ask_writer(request: Request, query: Answered[Any], actor: Actor) -> Any:
    """The writer's ``data``, or its error as the same HTTP status; no answer → 503."""
    runtime = runtime_of(request)
    result = await rpc.ask_result(runtime.broker, query, account_id=actor.account_id, source="gateway",
                           timeout=runtime.settings.rpc_timeout_seconds)
    if not result.ok:
        if result.error is None:
            raise ApiError(502, "The writer gave an answer the gateway does not understand.")
        raise ApiError(result.error.status, result.error.message, result.error.errors)
    return result.data


class TaskFields(Body):
    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    keywords: list[Annotated[str, Field(max_length=255)]] = Field(default_factory=list,
                                                                   max_length=50)
    cluster_id: uuid.UUID | None = None
    content_structure: TaskStructure = "supporting_page"
    content_type: TaskContentType = "blog_post"
    word_count: int = Field(default=1200, ge=100, le=MAX_WORD_COUNT)
    status: TaskStatus = "queued"


class NewTaskBody(TaskFields):
    site_id: uuid.UUID
    sector_id: uuid.UUID


class TaskEdit(Body):
    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE_LENGTH)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION_LENGTH)
    keywords: list[Annotated[str, Field(max_length=255)]] | None = Field(default=None,
                                                                          max_length=50)
    cluster_id: uuid.UUID | None = None
    content_structure: TaskStructure | None = None
    content_type: TaskContentType | None = None
    word_count: int | None = Field(default=None, ge=100, le=MAX_WORD_COUNT)
    status: TaskStatus | None = None


class GenerateContentBody(Body):
    task_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_GENERATE)
    author_profile_id: uuid.UUID | None = None


class BulkIdsBody(Body):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)


class BulkStatusBody(BulkIdsBody):
    status: TaskStatus


# ------------------------------------------------------------------------------ generating


def _reservations(operation_id: uuid.UUID,
                  tasks: list[dict[str, Any]]) -> list[TaskReservation]:
    """Each task's credits are held under its own key."""
    return [TaskReservation(task_id=task["id"], reservation_key=f"{operation_id}:{task['id']}",
                            max_words=reserved_words(task["word_count"])) for task in tasks]


@router.post(
    "/generate_content/", status_code=202,
    summary="Write the tasks' articles as an operation (credits reserved per task first; 402 "
            "when the account cannot pay). Answers data.operation_id")
async def generate_content(request: Request, actor: CurrentActor,
                           body: GenerateContentBody) -> JSONResponse:
    task_ids = list(dict.fromkeys(body.task_ids))
    found = await ask_writer(request, FindTasks(
        account_id=actor.account_id, task_ids=task_ids,
        visible_site_ids=await scope_of(request, actor)), actor)
    known = {uuid.UUID(t["id"]): t for t in found["tasks"]}
    missing = [str(t) for t in task_ids if t not in known]
    if missing:
        raise ApiError(404, "Task not found.", {"task_ids": [f"not found: {', '.join(missing)}"]})
    busy = [str(t) for t in task_ids if known[t]["status"] == "in_progress"]
    if busy:
        raise ApiError(409, "Some tasks are being written already.",
                       {"task_ids": [f"in progress: {', '.join(busy)}"]})
    if body.author_profile_id is not None:
        await ask_writer(request, GetAuthorProfile(account_id=actor.account_id,
                                                    profile_id=body.author_profile_id), actor)
    ensure_can_write_content(actor)
    operation_id = uuid.uuid4()
    held = _reservations(operation_id, [known[t] for t in task_ids])
    await reserve_all(request, actor, [
        Hold(r.reservation_key, CONTENT_BILLING_OPERATION, r.max_words) for r in held])
    sites = {t["site_id"] for t in known.values()}
    command = GenerateContent(operation_id=operation_id, account_id=actor.account_id,
                              tasks=held, author_profile_id=body.author_profile_id)
    try:
        return await accept_operation(
            request, actor, command, operation_id=operation_id, kind=GENERATE_CONTENT_OPERATION,
            site_id=uuid.UUID(sites.pop()) if len(sites) == 1 else None,
            message=f"Writing {len(held)} article{'' if len(held) == 1 else 's'}.")
    except CommandNotAccepted:
        await release_all(request, actor, [r.reservation_key for r in held])
        raise


# ------------------------------------------------------------------------------ tasks


class TaskFilterParams:
    def __init__(self, site_id: uuid.UUID | None = None, sector_id: uuid.UUID | None = None,
                 idea_id: uuid.UUID | None = None, cluster_id: uuid.UUID | None = None,
                 status: TaskStatus | None = None, content_type: TaskContentType | None = None,
                 search: Annotated[str | None, Query(max_length=255)] = None,
                 ordering: TaskOrdering = "-created_at") -> None:
        self.ordering: TaskOrdering = ordering
        self.filters = TaskFilters(site_id=site_id, sector_id=sector_id, idea_id=idea_id,
                                   cluster_id=cluster_id, status=status,
                                   content_type=content_type, search=search)


@router.get("/", summary="Writer tasks, filtered and ordered; paginated")
async def list_tasks(request: Request, actor: CurrentActor, page: Paging,
                     params: Annotated[TaskFilterParams, Depends()]) -> JSONResponse:
    f = params.filters
    visible = await scope_of(request, actor, site_id=f.site_id, sector_id=f.sector_id)
    query = ListTasks(account_id=actor.account_id,
                      filters=f.model_copy(update={"visible_site_ids": visible}),
                      ordering=params.ordering, page=page.number, page_size=page.size)
    data = await ask_writer(request, query, actor)
    return paginated(request, data["results"], data["count"], page.number, page.size)


@router.post("/", status_code=201, summary="Create a task by hand in a sector")
async def create_task(request: Request, actor: CurrentActor, body: NewTaskBody) -> JSONResponse:
    await scope_of(request, actor, site_id=body.site_id, sector_id=body.sector_id)
    ensure_can_write_content(actor)
    create = CreateTask(account_id=actor.account_id, task=NewTask(**body.model_dump()))
    return ok(await ask_writer(request, create, actor), "Task created.", status_code=201)


@router.post("/bulk_delete/", summary="Delete tasks; answers how many were deleted")
async def bulk_delete(request: Request, actor: CurrentActor, body: BulkIdsBody) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteTasks(account_id=actor.account_id, task_ids=body.ids,
                         visible_site_ids=await scope_of(request, actor))
    data = await ask_writer(request, delete, actor)
    return ok({"deleted_count": data["count"]}, f"{data['count']} tasks deleted.")


@router.post("/bulk_update/", summary="Set the status of tasks; answers how many changed")
async def bulk_update(request: Request, actor: CurrentActor,
                      body: BulkStatusBody) -> JSONResponse:
    ensure_can_write_content(actor)
    update = SetTaskStatus(account_id=actor.account_id, task_ids=body.ids, status=body.status,
                           visible_site_ids=await scope_of(request, actor))
    data = await ask_writer(request, update, actor)
    return ok({"updated_count": data["count"]}, f"{data['count']} tasks updated.")


@router.get("/{task_id}/", summary="One task")
async def get_task(request: Request, actor: CurrentActor, task_id: uuid.UUID) -> JSONResponse:
    query = GetTask(account_id=actor.account_id, task_id=task_id,
                    visible_site_ids=await scope_of(request, actor))
    return ok(await ask_writer(request, query, actor))


async def _edit(request: Request, actor: Actor, task_id: uuid.UUID, body: TaskEdit) -> Any:
    ensure_can_write_content(actor)
    fields = sorted(body.model_fields_set)
    if not fields:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    changes = TaskChanges(fields=fields, **body.model_dump(include=set(fields)))
    update = UpdateTask(account_id=actor.account_id, task_id=task_id, changes=changes,
                        visible_site_ids=await scope_of(request, actor))
    return await ask_writer(request, update, actor)


@router.patch("/{task_id}/", summary="Change a task (the fields given)")
async def patch_task(request: Request, actor: CurrentActor, task_id: uuid.UUID,
                     body: TaskEdit) -> JSONResponse:
    return ok(await _edit(request, actor, task_id, body), "Task updated.")


@router.put("/{task_id}/", summary="Change a task (the fields given)")
async def put_task(request: Request, actor: CurrentActor, task_id: uuid.UUID,
                   body: TaskEdit) -> JSONResponse:
    return ok(await _edit(request, actor, task_id, body), "Task updated.")


@router.delete("/{task_id}/", summary="Delete a task")
async def delete_task(request: Request, actor: CurrentActor, task_id: uuid.UUID) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteTasks(account_id=actor.account_id, task_ids=[task_id],
                         visible_site_ids=await scope_of(request, actor))
    if (await ask_writer(request, delete, actor))["count"] == 0:
        raise ApiError(404, "Task not found.")
    return ok(None, "Task deleted.")
