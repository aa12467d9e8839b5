"""``/api/v1/writer/content/``: generated articles — list, detail, edit (title and/or HTML; the
writer sanitises the HTML and keeps every edit as a new version), versions, diff between two
versions, restore, the review workflow (``status/``: draft → review → approved; a move the
workflow does not allow is 409), and deletion (one, or ``bulk_delete/``: the article with its
versions, images and image files; its task stays). Another account's content is 404."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.requests import Request

from igny8_contracts.writer import (
    MAX_BULK,
    MAX_HTML_LENGTH,
    MAX_TITLE_LENGTH,
    ChangeContentStatus,
    ContentDiff,
    ContentFilters,
    ContentOrdering,
    ContentStatus,
    ContentVersionList,
    ContentView,
    DeleteContent,
    DiffContentVersions,
    EditContent,
    GetContent,
    ListContent,
    ListContentVersions,
    RestoreContentVersion,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.answers import DeletedCount
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import ActorBus, Bus, CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated

router = api_router("/api/v1/writer/content", "writer")
routers = (router,)

ReviewStatus = Literal["draft", "review", "approved", "archived"]


class ContentEdit(Body):
    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE_LENGTH)
    html: str | None = Field(default=None, min_length=1, max_length=MAX_HTML_LENGTH)


class RestoreVersionBody(Body):
    version: int = Field(ge=1)


class ContentStatusBody(Body):
    status: ReviewStatus


class ContentIdsBody(Body):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)


class ContentFilterParams:
    def __init__(self, site_id: uuid.UUID | None = None, sector_id: uuid.UUID | None = None,
                 task_id: uuid.UUID | None = None, status: ContentStatus | None = None,
                 search: Annotated[str | None, Query(max_length=255)] = None,
                 ordering: ContentOrdering = "-created_at") -> None:
        self.ordering: ContentOrdering = ordering
        self.filters = ContentFilters(site_id=site_id, sector_id=sector_id, task_id=task_id,
                                      status=status, search=search)


async def _delete(request: Request, actor: Actor, bus: Bus, content_ids: list[uuid.UUID]) -> int:
    ensure_can_write_content(actor)
    delete = DeleteContent(account_id=actor.account_id, content_ids=content_ids,
                           visible_site_ids=await scope_of(request, actor))
    return (await bus.ask(delete)).count


# ------------------------------------------------------------------------------ fixed paths


@router.get("/", response_model=Listing[ContentView],
            summary="Articles, filtered (task, site, sector, status, search); paginated")
async def list_content(request: Request, actor: CurrentActor, bus: ActorBus, page: Paging,
                       params: Annotated[ContentFilterParams, Depends()]) -> JSONResponse:
    f = params.filters
    visible = await scope_of(request, actor, site_id=f.site_id, sector_id=f.sector_id)
    query = ListContent(account_id=actor.account_id,
                        filters=f.model_copy(update={"visible_site_ids": visible}),
                        ordering=params.ordering, page=page.number, page_size=page.size)
    found = await bus.ask(query)
    return paginated(request, found.results, found.count, page.number, page.size)


@router.post("/bulk_delete/", response_model=Ok[DeletedCount],
             summary="Delete articles (with their versions, images and image files; their "
                     "tasks stay); answers how many")
async def bulk_delete_content(request: Request, actor: CurrentActor, bus: ActorBus,
                              body: ContentIdsBody) -> JSONResponse:
    count = await _delete(request, actor, bus, body.ids)
    return ok(DeletedCount(deleted_count=count), f"{count} articles deleted.")


# ------------------------------------------------------------------------------ one article


@router.get("/{content_id}/", response_model=Ok[ContentView], summary="One article")
async def get_content(request: Request, actor: CurrentActor, bus: ActorBus,
                      content_id: uuid.UUID) -> JSONResponse:
    query = GetContent(account_id=actor.account_id, content_id=content_id,
                       visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(query))


async def _edit(request: Request, actor: Actor, bus: Bus, content_id: uuid.UUID,
                body: ContentEdit) -> JSONResponse:
    ensure_can_write_content(actor)
    if body.title is None and body.html is None:
        raise ApiError(400, "Invalid input.",
                       {"non_field_errors": ["Give a title and/or html to change."]})
    edit = EditContent(account_id=actor.account_id, content_id=content_id, title=body.title,
                       html=body.html, edited_by=actor.user_id,
                       visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(edit), "Content updated.")


@router.patch("/{content_id}/", response_model=Ok[ContentView],
              summary="Edit the title and/or HTML (a new version)")
async def patch_content(request: Request, actor: CurrentActor, bus: ActorBus,
                        content_id: uuid.UUID, body: ContentEdit) -> JSONResponse:
    return await _edit(request, actor, bus, content_id, body)


@router.put("/{content_id}/", response_model=Ok[ContentView],
            summary="Edit the title and/or HTML (a new version)")
async def put_content(request: Request, actor: CurrentActor, bus: ActorBus,
                      content_id: uuid.UUID, body: ContentEdit) -> JSONResponse:
    return await _edit(request, actor, bus, content_id, body)


@router.delete("/{content_id}/", response_model=Ok[None],
               summary="Delete an article (with its versions, images and image files; its "
                       "task stays)")
async def delete_content(request: Request, actor: CurrentActor, bus: ActorBus,
                         content_id: uuid.UUID) -> JSONResponse:
    if not await _delete(request, actor, bus, [content_id]):
        raise ApiError(404, "Content not found.")
    return ok(None, "Article deleted.")


@router.get("/{content_id}/versions/", response_model=Ok[ContentVersionList],
            summary="Every version of an article, oldest first")
async def list_content_versions(request: Request, actor: CurrentActor, bus: ActorBus,
                                content_id: uuid.UUID) -> JSONResponse:
    query = ListContentVersions(account_id=actor.account_id, content_id=content_id,
                                visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(query))


@router.get("/{content_id}/diff/", response_model=Ok[ContentDiff],
            summary="Unified diff between two versions (?from=N&to=M)")
async def diff_content_versions(request: Request, actor: CurrentActor, bus: ActorBus,
                                content_id: uuid.UUID,
                                from_version: Annotated[int, Query(alias="from", ge=1)],
                                to_version: Annotated[int, Query(alias="to", ge=1)],
                                ) -> JSONResponse:
    query = DiffContentVersions(account_id=actor.account_id, content_id=content_id,
                                from_version=from_version, to_version=to_version,
                                visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(query))


@router.post("/{content_id}/restore/", response_model=Ok[ContentView],
             summary="Make an earlier version current (a new version)")
async def restore_content_version(request: Request, actor: CurrentActor, bus: ActorBus,
                                  content_id: uuid.UUID, body: RestoreVersionBody) -> JSONResponse:
    ensure_can_write_content(actor)
    restore = RestoreContentVersion(account_id=actor.account_id, content_id=content_id,
                                    restore_version=body.version, restored_by=actor.user_id,
                                    visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(restore), f"Version {body.version} restored.")


async def _move(request: Request, actor: Actor, bus: Bus, content_id: uuid.UUID,
                status: ReviewStatus) -> JSONResponse:
    ensure_can_write_content(actor)
    change = ChangeContentStatus(account_id=actor.account_id, content_id=content_id,
                                 status=status, visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(change), f"Content is now {status}.")


@router.post("/{content_id}/status/", response_model=Ok[ContentView],
             summary="Move along the review workflow: draft → review → approved (or back to "
                     "draft, or archived); 409 when the move is not allowed")
async def change_content_status(request: Request, actor: CurrentActor, bus: ActorBus,
                                content_id: uuid.UUID, body: ContentStatusBody) -> JSONResponse:
    return await _move(request, actor, bus, content_id, body.status)


@router.post("/{content_id}/approve/", response_model=Ok[ContentView],
             summary="Approve reviewed content (ContentApproved)")
async def approve_content(request: Request, actor: CurrentActor, bus: ActorBus,
                          content_id: uuid.UUID) -> JSONResponse:
    return await _move(request, actor, bus, content_id, "approved")
