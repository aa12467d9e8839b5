"""``/api/v1/planner/ideas/``: content ideas (list, read, create, change, delete, bulk delete)
and ``queue_to_writer/``. The planner scopes every id by account and visible sites (another
account's idea or cluster is 404). Generating ideas is ``/api/v1/planner/clusters/generate_ideas/``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.requests import Request

from igny8_contracts.planner import (
    MAX_BULK,
    MAX_OUTLINE_LENGTH,
    MAX_QUEUE,
    MAX_WORD_COUNT,
    CreateIdea,
    DeleteIdeas,
    GetIdea,
    IdeaChanges,
    IdeaContentType,
    IdeaFilters,
    IdeaStatus,
    IdeaStructure,
    IdeaView,
    ListIdeas,
    NewIdea,
    QueuedIdeas,
    QueueIdeasToWriter,
    UpdateIdea,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.answers import DeletedCount
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import ActorBus, Bus, CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated

router = api_router("/api/v1/planner/ideas", "planner")
routers = (router,)


class IdeaEdit(Body):
    title: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=MAX_OUTLINE_LENGTH)
    content_structure: IdeaStructure | None = None
    content_type: IdeaContentType | None = None
    target_keywords: list[str] | None = Field(default=None, max_length=50)
    estimated_word_count: int | None = Field(default=None, ge=0, le=MAX_WORD_COUNT)
    status: IdeaStatus | None = None


class QueueIdeasBody(Body):
    idea_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_QUEUE)


class IdeaIdsBody(Body):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)


class IdeaFilterParams:
    def __init__(self, site_id: uuid.UUID | None = None, sector_id: uuid.UUID | None = None,
                 cluster_id: uuid.UUID | None = None, status: IdeaStatus | None = None,
                 content_structure: IdeaStructure | None = None,
                 content_type: IdeaContentType | None = None) -> None:
        self.filters = IdeaFilters(site_id=site_id, sector_id=sector_id, cluster_id=cluster_id,
                                   status=status, content_structure=content_structure,
                                   content_type=content_type)


# ------------------------------------------------------------------------------ fixed paths


@router.get("/", response_model=Listing[IdeaView],
            summary="Content ideas, filtered, newest first; paginated")
async def list_ideas(request: Request, actor: CurrentActor, bus: ActorBus, page: Paging,
                     params: Annotated[IdeaFilterParams, Depends()]) -> JSONResponse:
    f = params.filters
    visible = await scope_of(request, actor, site_id=f.site_id, sector_id=f.sector_id)
    query = ListIdeas(account_id=actor.account_id,
                      filters=f.model_copy(update={"visible_site_ids": visible}),
                      page=page.number, page_size=page.size)
    found = await bus.ask(query)
    return paginated(request, found.results, found.count, page.number, page.size)


@router.post("/", status_code=201, response_model=Ok[IdeaView],
             summary="Create an idea for a cluster")
async def create_idea(request: Request, actor: CurrentActor, bus: ActorBus,
                      body: NewIdea) -> JSONResponse:
    visible = await scope_of(request, actor)
    ensure_can_write_content(actor)
    create = CreateIdea(account_id=actor.account_id, visible_site_ids=visible, idea=body)
    return ok(await bus.ask(create), "Idea created.", status_code=201)


@router.post("/queue_to_writer/", response_model=Ok[QueuedIdeas],
             summary="Queue ideas for the writer (one writer task each); all must exist")
async def queue_ideas_to_writer(request: Request, actor: CurrentActor, bus: ActorBus,
                                body: QueueIdeasBody) -> JSONResponse:
    visible = await scope_of(request, actor)
    ensure_can_write_content(actor)
    queue = QueueIdeasToWriter(account_id=actor.account_id, idea_ids=body.idea_ids,
                               visible_site_ids=visible)
    queued = await bus.ask(queue)
    return ok(queued, f"{len(queued.queued)} ideas queued for the writer.")


@router.post("/bulk_delete/", response_model=Ok[DeletedCount],
             summary="Delete ideas; answers how many were deleted")
async def bulk_delete_ideas(request: Request, actor: CurrentActor, bus: ActorBus,
                            body: IdeaIdsBody) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteIdeas(account_id=actor.account_id, idea_ids=body.ids,
                         visible_site_ids=await scope_of(request, actor))
    count = (await bus.ask(delete)).count
    return ok(DeletedCount(deleted_count=count), f"{count} ideas deleted.")


# ------------------------------------------------------------------------------ one idea


@router.get("/{idea_id}/", response_model=Ok[IdeaView], summary="One idea")
async def get_idea(request: Request, actor: CurrentActor, bus: ActorBus,
                   idea_id: uuid.UUID) -> JSONResponse:
    query = GetIdea(account_id=actor.account_id, idea_id=idea_id,
                    visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(query))


async def _edit(request: Request, actor: Actor, bus: Bus, idea_id: uuid.UUID,
                body: IdeaEdit) -> JSONResponse:
    ensure_can_write_content(actor)
    fields = sorted(body.model_fields_set)
    if not fields:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    changes = IdeaChanges(fields=fields, **body.model_dump(include=set(fields)))
    update = UpdateIdea(account_id=actor.account_id, idea_id=idea_id, changes=changes,
                        visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(update), "Idea updated.")


@router.patch("/{idea_id}/", response_model=Ok[IdeaView],
              summary="Change an idea (the fields given)")
async def patch_idea(request: Request, actor: CurrentActor, bus: ActorBus, idea_id: uuid.UUID,
                     body: IdeaEdit) -> JSONResponse:
    return await _edit(request, actor, bus, idea_id, body)


@router.put("/{idea_id}/", response_model=Ok[IdeaView],
            summary="Change an idea (the fields given)")
async def put_idea(request: Request, actor: CurrentActor, bus: ActorBus, idea_id: uuid.UUID,
                   body: IdeaEdit) -> JSONResponse:
    return await _edit(request, actor, bus, idea_id, body)


@router.delete("/{idea_id}/", response_model=Ok[None], summary="Delete an idea")
async def delete_idea(request: Request, actor: CurrentActor, bus: ActorBus,
                      idea_id: uuid.UUID) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteIdeas(account_id=actor.account_id, idea_ids=[idea_id],
                         visible_site_ids=await scope_of(request, actor))
    if (await bus.ask(delete)).count == 0:
        raise ApiError(404, "Idea not found.")
    return ok(None, "Idea deleted.")
