"""``/api/v1/writer/tasks/``: tasks (list, read, create, change, delete, bulk delete and
status), ``generate_content/`` and ``generate_images/``. The gateway checks sites and sectors,
then asks the writer over request/reply with the sites the caller may see; the writer scopes
every id by account and those sites (another account's task is 404).

Generating is an operation: every task must be the caller's (404) and free to start (409 while
it is being written; for images it must have an article, else 400), then each task's credits
are held with billing (402 when the account cannot pay, nothing sent) and the answer is 202
with ``data.operation_id``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.requests import Request

from igny8_contracts import pricing
from igny8_contracts.billing import CreditQuote
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
    TaskRef,
    TaskReservation,
    TaskStatus,
    TaskStructure,
    TaskView,
    UpdateTask,
)
from igny8_contracts.writer_images import (
    DEFAULT_IN_ARTICLE_IMAGES,
    MAX_IMAGE_TASKS,
    MAX_IN_ARTICLE_IMAGES,
    FindImageTasks,
    GenerateImages,
    ImageTaskRef,
    ImageTaskReservation,
    image_reservation_keys,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import OperationAccepted
from igny8_gateway.entrypoints.answers import DeletedCount, UpdatedCount
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import ActorBus, Bus, CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.paid_operations import (
    Hold,
    common_site,
    quote_holds,
    start_paid_operation,
)
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated

router = api_router("/api/v1/writer/tasks", "writer")
routers = (router,)

GENERATE_CONTENT_OPERATION = "writer.tasks.generate_content"
GENERATE_IMAGES_OPERATION = "writer.tasks.generate_images"


class NewTaskBody(NewTask):
    """The writer's ``NewTask``; each keyword at most 255 characters, as the task keywords the
    writer answers with (a 400 with the field's error here)."""

    keywords: list[Annotated[str, Field(max_length=255)]] = Field(default_factory=list,
                                                                   max_length=50)


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


class GenerateImagesBody(Body):
    task_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_IMAGE_TASKS)
    in_article_count: int = Field(default=DEFAULT_IN_ARTICLE_IMAGES, ge=0,
                                  le=MAX_IN_ARTICLE_IMAGES)


class TaskIdsBody(Body):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)


class TaskStatusBody(TaskIdsBody):
    status: TaskStatus


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


def _not_found(task_ids: list[uuid.UUID], known: set[uuid.UUID]) -> None:
    missing = [str(t) for t in task_ids if t not in known]
    if missing:
        raise ApiError(404, "Task not found.", {"task_ids": [f"not found: {', '.join(missing)}"]})


# ------------------------------------------------------------------------------ fixed paths


@router.get("/", response_model=Listing[TaskView],
            summary="Writer tasks, filtered and ordered; paginated")
async def list_tasks(request: Request, actor: CurrentActor, bus: ActorBus, page: Paging,
                     params: Annotated[TaskFilterParams, Depends()]) -> JSONResponse:
    f = params.filters
    visible = await scope_of(request, actor, site_id=f.site_id, sector_id=f.sector_id)
    query = ListTasks(account_id=actor.account_id,
                      filters=f.model_copy(update={"visible_site_ids": visible}),
                      ordering=params.ordering, page=page.number, page_size=page.size)
    found = await bus.ask(query)
    return paginated(request, found.results, found.count, page.number, page.size)


@router.post("/", status_code=201, response_model=Ok[TaskView],
             summary="Create a task by hand in a sector")
async def create_task(request: Request, actor: CurrentActor, bus: ActorBus,
                      body: NewTaskBody) -> JSONResponse:
    await scope_of(request, actor, site_id=body.site_id, sector_id=body.sector_id)
    ensure_can_write_content(actor)
    create = CreateTask(account_id=actor.account_id, task=NewTask(**body.model_dump()))
    return ok(await bus.ask(create), "Task created.", status_code=201)


async def _content_tasks(request: Request, actor: Actor, bus: Bus,
                         body: GenerateContentBody) -> dict[uuid.UUID, TaskRef]:
    """The tasks to write, in the order given: each the caller's (404) and not being written
    (409); the author profile, when given, the account's (404)."""
    task_ids = list(dict.fromkeys(body.task_ids))
    found = await bus.ask(FindTasks(account_id=actor.account_id, task_ids=task_ids,
                                    visible_site_ids=await scope_of(request, actor)))
    known = {task.id: task for task in found.tasks}
    _not_found(task_ids, set(known))
    busy = [str(t) for t in task_ids if known[t].status == "in_progress"]
    if busy:
        raise ApiError(409, "Some tasks are being written already.",
                       {"task_ids": [f"in progress: {', '.join(busy)}"]})
    if body.author_profile_id is not None:
        await bus.ask(GetAuthorProfile(account_id=actor.account_id,
                                       profile_id=body.author_profile_id))
    return {t: known[t] for t in task_ids}


def _content_reservations(operation_id: uuid.UUID,
                          tasks: dict[uuid.UUID, TaskRef]) -> list[TaskReservation]:
    # Each task's credits are held under its own key: a failed task is not charged.
    return [TaskReservation(task_id=t, reservation_key=f"{operation_id}:{t}",
                            max_words=pricing.content_words_to_reserve(task.word_count))
            for t, task in tasks.items()]


def _content_holds(reservations: list[TaskReservation]) -> list[Hold]:
    return [Hold(r.reservation_key, pricing.CONTENT, r.max_words) for r in reservations]


@router.post(
    "/generate_content/", status_code=202, response_model=Ok[OperationAccepted],
    summary="Write the tasks' articles as an operation (credits reserved per task first; 402 "
            "when the account cannot pay). Answers data.operation_id")
async def generate_content(request: Request, actor: CurrentActor, bus: ActorBus,
                           body: GenerateContentBody) -> JSONResponse:
    tasks = await _content_tasks(request, actor, bus, body)
    ensure_can_write_content(actor)
    operation_id = uuid.uuid4()
    held = _content_reservations(operation_id, tasks)
    command = GenerateContent(operation_id=operation_id, account_id=actor.account_id,
                              tasks=held, author_profile_id=body.author_profile_id)
    return await start_paid_operation(
        request, actor, bus, command, _content_holds(held),
        operation_id=operation_id, kind=GENERATE_CONTENT_OPERATION,
        site_id=common_site(task.site_id for task in tasks.values()),
        message=f"Writing {len(held)} article{'' if len(held) == 1 else 's'}.")


@router.post(
    "/generate_content/estimate/", response_model=Ok[CreditQuote],
    summary="The most generate_content would cost for the same body (the credits it would "
            "hold) and the credits available now; nothing is held or started")
async def estimate_generate_content(request: Request, actor: CurrentActor, bus: ActorBus,
                                    body: GenerateContentBody) -> JSONResponse:
    tasks = await _content_tasks(request, actor, bus, body)
    holds = _content_holds(_content_reservations(uuid.uuid4(), tasks))
    return ok(await quote_holds(bus, actor.account_id, holds))


async def _image_tasks(request: Request, actor: Actor, bus: Bus,
                       body: GenerateImagesBody) -> dict[uuid.UUID, ImageTaskRef]:
    """The tasks to illustrate, in the order given: each the caller's (404), with an article
    (400)."""
    task_ids = list(dict.fromkeys(body.task_ids))
    found = await bus.ask(FindImageTasks(account_id=actor.account_id, task_ids=task_ids,
                                         visible_site_ids=await scope_of(request, actor)))
    known = {task.task_id: task for task in found.tasks}
    _not_found(task_ids, set(known))
    bare = [str(t) for t in task_ids if known[t].content_id is None]
    if bare:
        raise ApiError(400, "Some tasks have no article yet: generate their content first.",
                       {"task_ids": [f"no article: {', '.join(bare)}"]})
    return {t: known[t] for t in task_ids}


def _image_reservations(operation_id: uuid.UUID, task_ids: Iterable[uuid.UUID],
                        in_article_count: int) -> tuple[list[ImageTaskReservation], list[Hold]]:
    """Each task's prompts and images under keys of their own."""
    images = pricing.images_to_reserve(in_article_count)
    reservations: list[ImageTaskReservation] = []
    holds: list[Hold] = []
    for task_id in task_ids:
        prompts_key, images_key = image_reservation_keys(operation_id, task_id)
        reservations.append(ImageTaskReservation(task_id=task_id, prompts_key=prompts_key,
                                                 images_key=images_key, max_images=images))
        holds += [Hold(prompts_key, pricing.IMAGE_PROMPTS, images),
                  Hold(images_key, pricing.IMAGES, images)]
    return reservations, holds


@router.post(
    "/generate_images/", status_code=202, response_model=Ok[OperationAccepted],
    summary="Extract image prompts from the tasks' articles and generate one featured and "
            "in_article_count in-article images each, as an operation (credits reserved first; "
            "402 when the account cannot pay). Answers data.operation_id")
async def generate_images(request: Request, actor: CurrentActor, bus: ActorBus,
                          body: GenerateImagesBody) -> JSONResponse:
    tasks = await _image_tasks(request, actor, bus, body)
    ensure_can_write_content(actor)
    operation_id = uuid.uuid4()
    reservations, holds = _image_reservations(operation_id, tasks, body.in_article_count)
    command = GenerateImages(operation_id=operation_id, account_id=actor.account_id,
                             tasks=reservations, in_article_count=body.in_article_count)
    return await start_paid_operation(
        request, actor, bus, command, holds, operation_id=operation_id,
        kind=GENERATE_IMAGES_OPERATION, site_id=common_site(t.site_id for t in tasks.values()),
        message="Image generation queued.")


@router.post(
    "/generate_images/estimate/", response_model=Ok[CreditQuote],
    summary="The most generate_images would cost for the same body (the credits it would "
            "hold) and the credits available now; nothing is held or started")
async def estimate_generate_images(request: Request, actor: CurrentActor, bus: ActorBus,
                                   body: GenerateImagesBody) -> JSONResponse:
    tasks = await _image_tasks(request, actor, bus, body)
    _, holds = _image_reservations(uuid.uuid4(), tasks, body.in_article_count)
    return ok(await quote_holds(bus, actor.account_id, holds))


@router.post("/bulk_delete/", response_model=Ok[DeletedCount],
             summary="Delete tasks; answers how many were deleted")
async def bulk_delete_tasks(request: Request, actor: CurrentActor, bus: ActorBus,
                            body: TaskIdsBody) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteTasks(account_id=actor.account_id, task_ids=body.ids,
                         visible_site_ids=await scope_of(request, actor))
    count = (await bus.ask(delete)).count
    return ok(DeletedCount(deleted_count=count), f"{count} tasks deleted.")


@router.post("/bulk_update/", response_model=Ok[UpdatedCount],
             summary="Set the status of tasks; answers how many changed")
async def bulk_update_task_status(request: Request, actor: CurrentActor, bus: ActorBus,
                                  body: TaskStatusBody) -> JSONResponse:
    ensure_can_write_content(actor)
    update = SetTaskStatus(account_id=actor.account_id, task_ids=body.ids, status=body.status,
                           visible_site_ids=await scope_of(request, actor))
    count = (await bus.ask(update)).count
    return ok(UpdatedCount(updated_count=count), f"{count} tasks updated.")


# ------------------------------------------------------------------------------ one task


@router.get("/{task_id}/", response_model=Ok[TaskView], summary="One task")
async def get_task(request: Request, actor: CurrentActor, bus: ActorBus,
                   task_id: uuid.UUID) -> JSONResponse:
    query = GetTask(account_id=actor.account_id, task_id=task_id,
                    visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(query))


async def _edit(request: Request, actor: Actor, bus: Bus, task_id: uuid.UUID,
                body: TaskEdit) -> JSONResponse:
    ensure_can_write_content(actor)
    fields = sorted(body.model_fields_set)
    if not fields:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    changes = TaskChanges(fields=fields, **body.model_dump(include=set(fields)))
    update = UpdateTask(account_id=actor.account_id, task_id=task_id, changes=changes,
                        visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(update), "Task updated.")


@router.patch("/{task_id}/", response_model=Ok[TaskView],
              summary="Change a task (the fields given)")
async def patch_task(request: Request, actor: CurrentActor, bus: ActorBus, task_id: uuid.UUID,
                     body: TaskEdit) -> JSONResponse:
    return await _edit(request, actor, bus, task_id, body)


@router.put("/{task_id}/", response_model=Ok[TaskView],
            summary="Change a task (the fields given)")
async def put_task(request: Request, actor: CurrentActor, bus: ActorBus, task_id: uuid.UUID,
                   body: TaskEdit) -> JSONResponse:
    return await _edit(request, actor, bus, task_id, body)


@router.delete("/{task_id}/", response_model=Ok[None], summary="Delete a task")
async def delete_task(request: Request, actor: CurrentActor, bus: ActorBus,
                      task_id: uuid.UUID) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteTasks(account_id=actor.account_id, task_ids=[task_id],
                         visible_site_ids=await scope_of(request, actor))
    if (await bus.ask(delete)).count == 0:
        raise ApiError(404, "Task not found.")
    return ok(None, "Task deleted.")
