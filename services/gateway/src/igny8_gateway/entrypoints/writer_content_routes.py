"""``/api/v1/writer/content/``: generated articles — list, detail, edit (title and/or HTML; the
writer sanitises the HTML and keeps every edit as a new version), versions, diff between two
versions, restore, the review workflow (``status/``: draft → review → approved; a move the
workflow does not allow is 409), and deletion (one, or ``bulk_delete/``: the article with its
versions, images and image files; its task stays). Another account's content is 404."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.requests import Request

from igny8_contracts.writer import (
    MAX_HTML_LENGTH,
    MAX_TITLE_LENGTH,
    ChangeContentStatus,
    ContentFilters,
    ContentOrdering,
    ContentStatus,
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
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_gateway.entrypoints.writer_routes import BulkIdsBody, ask_writer
from igny8_runtime.responses import ApiError, ok, paginated

router = api_router("/api/v1/writer/content", "writer")


class ContentEdit(Body):
    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE_LENGTH)
    html: str | None = Field(default=None, min_length=1, max_length=MAX_HTML_LENGTH)


class RestoreBody(Body):
    version: int = Field(ge=1)


class StatusBody(Body):
    status: Literal["draft", "review", "approved", "archived"]


class ContentFilterParams:
    def __init__(self, site_id: uuid.UUID | None = None, sector_id: uuid.UUID | None = None,
                 task_id: uuid.UUID | None = None, status: ContentStatus | None = None,
                 search: Annotated[str | None, Query(max_length=255)] = None,
                 ordering: ContentOrdering = "-created_at") -> None:
        self.ordering: ContentOrdering = ordering
        self.filters = ContentFilters(site_id=site_id, sector_id=sector_id, task_id=task_id,
                                      status=status, search=search)


@router.get("/", summary="Articles, filtered (task, site, sector, status, search); paginated")
async def list_content(request: Request, actor: CurrentActor, page: Paging,
                       params: Annotated[ContentFilterParams, Depends()]) -> JSONResponse:
    f = params.filters
    visible = await scope_of(request, actor, site_id=f.site_id, sector_id=f.sector_id)
    query = ListContent(account_id=actor.account_id,
                        filters=f.model_copy(update={"visible_site_ids": visible}),
                        ordering=params.ordering, page=page.number, page_size=page.size)
    data = await ask_writer(request, query, actor)
    return paginated(request, data["results"], data["count"], page.number, page.size)


@router.get("/{content_id}/", summary="One article")
async def get_content(request: Request, actor: CurrentActor,
                      content_id: uuid.UUID) -> JSONResponse:
    query = GetContent(account_id=actor.account_id, content_id=content_id,
                       visible_site_ids=await scope_of(request, actor))
    return ok(await ask_writer(request, query, actor))


async def _edit(request: Request, actor: Actor, content_id: uuid.UUID,
                body: ContentEdit) -> Any:
    ensure_can_write_content(actor)
    if body.title is None and body.html is None:
        raise ApiError(400, "Invalid input.",
                       {"non_field_errors": ["Give a title and/or html to change."]})
    edit = EditContent(account_id=actor.account_id, content_id=content_id, title=body.title,
                       html=body.html, edited_by=actor.user_id,
                       visible_site_ids=await scope_of(request, actor))
    return await ask_writer(request, edit, actor)


@router.patch("/{content_id}/", summary="Edit the title and/or HTML (a new version)")
async def patch_content(request: Request, actor: CurrentActor, content_id: uuid.UUID,
                        body: ContentEdit) -> JSONResponse:
    return ok(await _edit(request, actor, content_id, body), "Content updated.")


@router.put("/{content_id}/", summary="Edit the title and/or HTML (a new version)")
async def put_content(request: Request, actor: CurrentActor, content_id: uuid.UUID,
                      body: ContentEdit) -> JSONResponse:
    return ok(await _edit(request, actor, content_id, body), "Content updated.")


@router.get("/{content_id}/versions/", summary="Every version of an article, oldest first")
async def list_versions(request: Request, actor: CurrentActor,
                        content_id: uuid.UUID) -> JSONResponse:
    query = ListContentVersions(account_id=actor.account_id, content_id=content_id,
                                visible_site_ids=await scope_of(request, actor))
    return ok(await ask_writer(request, query, actor))


@router.get("/{content_id}/diff/", summary="Unified diff between two versions (?from=N&to=M)")
async def diff_versions(request: Request, actor: CurrentActor, content_id: uuid.UUID,
                        from_version: Annotated[int, Query(alias="from", ge=1)],
                        to_version: Annotated[int, Query(alias="to", ge=1)]) -> JSONResponse:
    query = DiffContentVersions(account_id=actor.account_id, content_id=content_id,
                                from_version=from_version, to_version=to_version,
                                visible_site_ids=await scope_of(request, actor))
    return ok(await ask_writer(request, query, actor))


@router.post("/{content_id}/restore/", summary="Make an earlier version current (a new version)")
async def restore_version(request: Request, actor: CurrentActor, content_id: uuid.UUID,
                          body: RestoreBody) -> JSONResponse:
    ensure_can_write_content(actor)
    restore = RestoreContentVersion(account_id=actor.account_id, content_id=content_id,
                                    restore_version=body.version, restored_by=actor.user_id,
                                    visible_site_ids=await scope_of(request, actor))
    return ok(await ask_writer(request, restore, actor), f"Version {body.version} restored.")


async def _move(request: Request, actor: Actor, content_id: uuid.UUID,
                status: Literal["draft", "review", "approved", "archived"]) -> JSONResponse:
    ensure_can_write_content(actor)
    change = ChangeContentStatus(account_id=actor.account_id, content_id=content_id,
                                 status=status, visible_site_ids=await scope_of(request, actor))
    return ok(await ask_writer(request, change, actor), f"Content is now {status}.")


@router.post("/{content_id}/status/",
             summary="Move along the review workflow: draft → review → approved (or back to "
                     "draft, or archived); 409 when the move is not allowed")
async def change_status(request: Request, actor: CurrentActor, content_id: uuid.UUID,
                        body: StatusBody) -> JSONResponse:
    return await _move(request, actor, content_id, body.status)


@router.post("/{content_id}/approve/", summary="Approve reviewed content (ContentApproved)")
async def approve(request: Request, actor: CurrentActor, content_id: uuid.UUID) -> JSONResponse:
    return await _move(request, actor, content_id, "approved")


async def _delete(request: Request, actor: Actor, content_ids: list[uuid.UUID]) -> int:
    ensure_can_write_content(actor)
    delete = DeleteContent(account_id=actor.account_id, content_ids=content_ids,
                           visible_site_ids=await scope_of(request, actor))
    count: int = (await ask_writer(request, delete, actor))["count"]
    return count


@router.post("/bulk_delete/", summary="Delete articles (with their versions, images and image "
                                      "files; their tasks stay); answers how many")
async def bulk_delete(request: Request, actor: CurrentActor, body: BulkIdsBody) -> JSONResponse:
    count = await _delete(request, actor, body.ids)
    return ok({"deleted_count": count}, f"{count} articles deleted.")


@router.delete("/{content_id}/", summary="Delete an article (with its versions, images and "
                                         "image files; its task stays)")
async def delete_content(request: Request, actor: CurrentActor,
                         content_id: uuid.UUID) -> JSONResponse:
    if not await _delete(request, actor, [content_id]):
        raise ApiError(404, "Content not found.")
    return ok(None, "Article deleted.")
