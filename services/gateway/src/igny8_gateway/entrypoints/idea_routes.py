"""Content ideas: ``POST /api/v1/planner/clusters/generate_ideas/`` (an operation: credits are
reserved with billing first — 402 passes through with nothing sent — then 202 with
``data.operation_id``), ``/api/v1/planner/ideas/`` (list, read, create, change, delete) and
``POST /api/v1/planner/ideas/queue_to_writer/``. The planner scopes every id by account and
visible sites (another account's idea or cluster is 404)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.requests import Request

from igny8_contracts.planner import (
    MAX_BULK,
    MAX_IDEA_CLUSTERS,
    MAX_IDEAS_PER_CLUSTER,
    MAX_OUTLINE_LENGTH,
    MAX_QUEUE,
    MAX_WORD_COUNT,
    CreateIdea,
    DeleteIdeas,
    FindIdeaClusters,
    GenerateIdeas,
    GetIdea,
    IdeaChanges,
    IdeaContentType,
    IdeaFilters,
    IdeaStatus,
    IdeaStructure,
    ListIdeas,
    NewIdea,
    QueueIdeasToWriter,
    UpdateIdea,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import accept_operation
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.credits import Hold, release_all, reserve_all
from igny8_gateway.entrypoints.deps import CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.planner_routes import ask_planner
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.operations import CommandNotAccepted
from igny8_runtime.responses import ApiError, ok, paginated

# Registered before the cluster routes, so ``/{cluster_id}/`` never shadows it.
generate_router = api_router("/api/v1/planner/clusters", "planner")
router = api_router("/api/v1/planner/ideas", "planner")
routers = (generate_router, router)

GENERATE_IDEAS_OPERATION = "planner.clusters.generate_ideas"
IDEAS_BILLING_OPERATION = "ideas"  # billing prices ideas per idea


class GenerateIdeasBody(Body):
    cluster_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_IDEA_CLUSTERS)
    ideas_per_cluster: int = Field(default=3, ge=1, le=MAX_IDEAS_PER_CLUSTER)


class IdeaFields(Body):
    title: str = Field(min_length=1, max_length=255)
    description: str = Field(default="", max_length=MAX_OUTLINE_LENGTH)
    content_structure: IdeaStructure = "supporting_page"
    content_type: IdeaContentType = "blog_post"
    target_keywords: list[str] = Field(default_factory=list, max_length=50)
    estimated_word_count: int = Field(default=1200, ge=0, le=MAX_WORD_COUNT)
    status: IdeaStatus = "new"


class NewIdeaBody(IdeaFields):
    cluster_id: uuid.UUID


class IdeaEdit(Body):
    title: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = Field(default=None, max_length=MAX_OUTLINE_LENGTH)
    content_structure: IdeaStructure | None = None
    content_type: IdeaContentType | None = None
    target_keywords: list[str] | None = Field(default=None, max_length=50)
    estimated_word_count: int | None = Field(default=None, ge=0, le=MAX_WORD_COUNT)
    status: IdeaStatus | None = None


class IdeaIdsBody(Body):
    idea_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_QUEUE)


class BulkDeleteBody(Body):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)


# ------------------------------------------------------------------------------ generating


@generate_router.post(
    "/generate_ideas/", status_code=202,
    summary="Generate content ideas for clusters as an operation (credits reserved first; "
            "402 when the account cannot pay). Answers data.operation_id")
async def generate_ideas(request: Request, actor: CurrentActor,
                         body: GenerateIdeasBody) -> JSONResponse:
    cluster_ids = list(dict.fromkeys(body.cluster_ids))
    found = await ask_planner(request, FindIdeaClusters(
        account_id=actor.account_id, cluster_ids=cluster_ids,
        visible_site_ids=await scope_of(request, actor)), actor)
    known = {uuid.UUID(c["id"]): c for c in found["clusters"]}
    missing = [str(c) for c in cluster_ids if c not in known]
    if missing:
        raise ApiError(404, "Cluster not found.", {"cluster_ids": [f"not found: {', '.join(missing)}"]})
    ensure_can_write_content(actor)
    operation_id = uuid.uuid4()
    key = str(operation_id)
    await reserve_all(request, actor, [
        Hold(key, IDEAS_BILLING_OPERATION, len(cluster_ids) * body.ideas_per_cluster)])
    sites = {c["site_id"] for c in known.values()}
    command = GenerateIdeas(operation_id=operation_id, account_id=actor.account_id,
                            cluster_ids=cluster_ids, ideas_per_cluster=body.ideas_per_cluster,
                            reservation_key=key)
    try:
        return await accept_operation(
            request, actor, command, operation_id=operation_id, kind=GENERATE_IDEAS_OPERATION,
            site_id=uuid.UUID(sites.pop()) if len(sites) == 1 else None,
            message="Idea generation queued.")
    except CommandNotAccepted:
        await release_all(request, actor, [key])
        raise


# ------------------------------------------------------------------------------ ideas


class IdeaFilterParams:
    def __init__(self, site_id: uuid.UUID | None = None, sector_id: uuid.UUID | None = None,
                 cluster_id: uuid.UUID | None = None, status: IdeaStatus | None = None,
                 content_structure: IdeaStructure | None = None,
                 content_type: IdeaContentType | None = None) -> None:
        self.filters = IdeaFilters(site_id=site_id, sector_id=sector_id, cluster_id=cluster_id,
                                   status=status, content_structure=content_structure,
                                   content_type=content_type)


@router.get("/", summary="Content ideas, filtered, newest first; paginated")
async def list_ideas(request: Request, actor: CurrentActor, page: Paging,
                     params: Annotated[IdeaFilterParams, Depends()]) -> JSONResponse:
    f = params.filters
    visible = await scope_of(request, actor, site_id=f.site_id, sector_id=f.sector_id)
    query = ListIdeas(account_id=actor.account_id,
                      filters=f.model_copy(update={"visible_site_ids": visible}),
                      page=page.number, page_size=page.size)
    data = await ask_planner(request, query, actor)
    return paginated(request, data["results"], data["count"], page.number, page.size)


@router.post("/", status_code=201, summary="Create an idea for a cluster")
async def create_idea(request: Request, actor: CurrentActor, body: NewIdeaBody) -> JSONResponse:
    visible = await scope_of(request, actor)
    ensure_can_write_content(actor)
    create = CreateIdea(account_id=actor.account_id, visible_site_ids=visible,
                        idea=NewIdea(**body.model_dump()))
    return ok(await ask_planner(request, create, actor), "Idea created.", status_code=201)


@router.post("/queue_to_writer/",
             summary="Queue ideas for the writer (one writer task each); all must exist")
async def queue_to_writer(request: Request, actor: CurrentActor,
                          body: IdeaIdsBody) -> JSONResponse:
    visible = await scope_of(request, actor)
    ensure_can_write_content(actor)
    queue = QueueIdeasToWriter(account_id=actor.account_id, idea_ids=body.idea_ids,
                               visible_site_ids=visible)
    data = await ask_planner(request, queue, actor)
    return ok(data, f"{len(data['queued'])} ideas queued for the writer.")


@router.post("/bulk_delete/", summary="Delete ideas; answers how many were deleted")
async def bulk_delete(request: Request, actor: CurrentActor,
                      body: BulkDeleteBody) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteIdeas(account_id=actor.account_id, idea_ids=body.ids,
                         visible_site_ids=await scope_of(request, actor))
    data = await ask_planner(request, delete, actor)
    return ok({"deleted_count": data["count"]}, f"{data['count']} ideas deleted.")


@router.get("/{idea_id}/", summary="One idea")
async def get_idea(request: Request, actor: CurrentActor, idea_id: uuid.UUID) -> JSONResponse:
    query = GetIdea(account_id=actor.account_id, idea_id=idea_id,
                    visible_site_ids=await scope_of(request, actor))
    return ok(await ask_planner(request, query, actor))


async def _edit(request: Request, actor: Actor, idea_id: uuid.UUID,
                body: IdeaEdit) -> Any:
    ensure_can_write_content(actor)
    fields = sorted(body.model_fields_set)
    if not fields:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    changes = IdeaChanges(fields=fields, **body.model_dump(include=set(fields)))
    update = UpdateIdea(account_id=actor.account_id, idea_id=idea_id, changes=changes,
                        visible_site_ids=await scope_of(request, actor))
    return await ask_planner(request, update, actor)


@router.patch("/{idea_id}/", summary="Change an idea (the fields given)")
async def patch_idea(request: Request, actor: CurrentActor, idea_id: uuid.UUID,
                     body: IdeaEdit) -> JSONResponse:
    return ok(await _edit(request, actor, idea_id, body), "Idea updated.")


@router.put("/{idea_id}/", summary="Change an idea (the fields given)")
async def put_idea(request: Request, actor: CurrentActor, idea_id: uuid.UUID,
                   body: IdeaEdit) -> JSONResponse:
    return ok(await _edit(request, actor, idea_id, body), "Idea updated.")


@router.delete("/{idea_id}/", summary="Delete an idea")
async def delete_idea(request: Request, actor: CurrentActor, idea_id: uuid.UUID) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteIdeas(account_id=actor.account_id, idea_ids=[idea_id],
                         visible_site_ids=await scope_of(request, actor))
    if (await ask_planner(request, delete, actor))["count"] == 0:
        raise ApiError(404, "Idea not found.")
    return ok(None, "Idea deleted.")
