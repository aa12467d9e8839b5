"""``/api/v1/planner/keywords/``: the gateway checks that the site and sector belong to the
caller (and are visible to them), then asks the planner over request/reply, passing the sites
the caller may see. Imports stream the upload into the object store and queue a command (202);
exports stream the planner's CSV out of the object store."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Annotated, Any

import anyio
from fastapi import Depends, File, Form, Query, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, StreamingResponse
from nats.js import JetStreamContext
from nats.js.api import ObjectStoreConfig
from nats.js.errors import BucketNotFoundError, NotFoundError
from nats.js.object_store import ObjectStore
from pydantic import Field
from starlette.requests import Request

from igny8_contracts import Answered
from igny8_contracts.planner import (
    MAX_BULK,
    UPLOADS_BUCKET,
    UPLOADS_TTL_SECONDS,
    CreateKeywords,
    DeleteKeywords,
    ExportKeywords,
    GetKeyword,
    ImportKeywords,
    KeywordChanges,
    KeywordFilters,
    KeywordIntent,
    KeywordOrdering,
    KeywordStatus,
    ListKeywords,
    NewKeyword,
    SetKeywordStatus,
    UpdateKeyword,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import accept_operation
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import CurrentActor
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime import rpc
from igny8_runtime.context import request_id_var
from igny8_runtime.http import runtime_of
from igny8_runtime.responses import ApiError, ok

router = api_router("/api/v1/planner/keywords", "planner")

EXPORT_TIMEOUT_SECONDS = 300.0
CHUNK_BYTES = 256 * 1024


# ------------------------------------------------------------------------------ helpers


async def ask_planner(request: Request, query: Answered[Any], actor: Actor,
                      timeout: float | None = None) -> Any:
    """The planner's ``data``, or its error as the same HTTP status; no answer → 503."""
    runtime = runtime_of(request)
    result = await rpc.ask_result(runtime.broker, query, account_id=actor.account_id, source="gateway",
                           timeout=timeout or runtime.settings.rpc_timeout_seconds)
    if not result.ok:
        if result.error is None:
            raise ApiError(502, "The planner gave an answer the gateway does not understand.")
        raise ApiError(result.error.status, result.error.message, result.error.errors)
    return result.data


def keyset_listing(request: Request, data: dict[str, Any]) -> JSONResponse:
    def link(cursor: str | None) -> str | None:
        return str(request.url.include_query_params(cursor=cursor)) if cursor else None

    return JSONResponse(content={
        "success": True, "count": data["count"], "next": link(data["next_cursor"]),
        "previous": link(data["previous_cursor"]), "results": jsonable_encoder(data["results"]),
        "request_id": request_id_var.get()})


async def object_bucket(js: JetStreamContext, name: str, ttl: float) -> ObjectStore:
    try:
        return await js.object_store(name)
    except (BucketNotFoundError, NotFoundError):
        return await js.create_object_store(name, ObjectStoreConfig(bucket=name, ttl=ttl))


# ------------------------------------------------------------------------------ reads


class FilterParams:
    def __init__(
        self,
        site_id: uuid.UUID | None = None,
        sector_id: uuid.UUID | None = None,
        status: KeywordStatus | None = None,
        cluster_id: uuid.UUID | None = None,
        intent: KeywordIntent | None = None,
        search: Annotated[str | None, Query(max_length=255)] = None,
        volume_min: Annotated[int | None, Query(ge=0)] = None,
        volume_max: Annotated[int | None, Query(ge=0)] = None,
        difficulty_min: Annotated[int | None, Query(ge=0, le=100)] = None,
        difficulty_max: Annotated[int | None, Query(ge=0, le=100)] = None,
        ordering: KeywordOrdering = "-created_at",
    ) -> None:
        self.ordering = ordering
        self.filters = KeywordFilters(
            site_id=site_id, sector_id=sector_id, status=status, cluster_id=cluster_id,
            intent=intent, search=search, volume_min=volume_min, volume_max=volume_max,
            difficulty_min=difficulty_min, difficulty_max=difficulty_max)

    async def scoped(self, request: Request, actor: Actor) -> KeywordFilters:
        visible = await scope_of(request, actor, site_id=self.filters.site_id,
                                 sector_id=self.filters.sector_id)
        return self.filters.model_copy(update={"visible_site_ids": visible})


Filters = Annotated[FilterParams, Depends()]


@router.get("/", summary="Keywords, filtered; keyset pages (`next` carries a cursor)")
async def list_keywords(
    request: Request, actor: CurrentActor, params: Filters,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    page_size: Annotated[int, Query(ge=1, le=500)] = 20,
) -> JSONResponse:
    query = ListKeywords(account_id=actor.account_id, filters=await params.scoped(request, actor),
                         ordering=params.ordering, cursor=cursor, page_size=page_size)
    return keyset_listing(request, await ask_planner(request, query, actor))


@router.get("/export_csv/", summary="The filtered keywords as CSV, streamed")
async def export_csv(request: Request, actor: CurrentActor, params: Filters) -> StreamingResponse:
    export = ExportKeywords(account_id=actor.account_id, filters=await params.scoped(request, actor),
                            ordering=params.ordering)
    data = await ask_planner(request, export, actor, timeout=EXPORT_TIMEOUT_SECONDS)
    store = await runtime_of(request).js.object_store(data["bucket"])
    handle, name = tempfile.mkstemp(prefix="igny8-export-")
    with os.fdopen(handle, "wb") as target:
        await store.get(data["object_name"], writeinto=target)

    async def chunks() -> AsyncIterator[bytes]:
        try:
            async with await anyio.open_file(name, "rb") as source:
                while chunk := await source.read(CHUNK_BYTES):
                    yield chunk
        finally:
            with contextlib.suppress(FileNotFoundError):
                await anyio.Path(name).unlink()
            with contextlib.suppress(Exception):
                await store.delete(data["object_name"])

    return StreamingResponse(chunks(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="keywords.csv"',
        "X-Total-Rows": str(data["rows"])})


@router.get("/{keyword_id}/", summary="One keyword")
async def get_keyword(request: Request, actor: CurrentActor, keyword_id: uuid.UUID) -> JSONResponse:
    query = GetKeyword(account_id=actor.account_id, keyword_id=keyword_id,
                       visible_site_ids=await scope_of(request, actor))
    return ok(await ask_planner(request, query, actor))


# ------------------------------------------------------------------------------ writes


class KeywordFields(Body):
    keyword: str = Field(min_length=1, max_length=255)
    volume: int | None = Field(default=None, ge=0)
    difficulty: int | None = Field(default=None, ge=0, le=100)
    cpc: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    intent: KeywordIntent | None = None
    status: KeywordStatus = "pending"


class NewKeywordBody(KeywordFields):
    site_id: uuid.UUID
    sector_id: uuid.UUID


class BulkCreateBody(Body):
    site_id: uuid.UUID
    sector_id: uuid.UUID
    keywords: list[KeywordFields] = Field(min_length=1, max_length=MAX_BULK)


class KeywordEdit(Body):
    keyword: str | None = Field(default=None, min_length=1, max_length=255)
    volume: int | None = Field(default=None, ge=0)
    difficulty: int | None = Field(default=None, ge=0, le=100)
    cpc: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    intent: KeywordIntent | None = None
    status: KeywordStatus | None = None


class IdsBody(Body):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)


class StatusBody(IdsBody):
    status: KeywordStatus


async def _create(request: Request, actor: Actor, site_id: uuid.UUID, sector_id: uuid.UUID,
                  items: list[KeywordFields]) -> Any:
    await scope_of(request, actor, site_id=site_id, sector_id=sector_id)
    ensure_can_write_content(actor)
    create = CreateKeywords(account_id=actor.account_id, site_id=site_id, sector_id=sector_id,
                            keywords=[NewKeyword(**item.model_dump(include=set(
                                KeywordFields.model_fields))) for item in items])
    return await ask_planner(request, create, actor)


@router.post("/", status_code=201, summary="Create a keyword in a sector (409 if it exists)")
async def create_keyword(request: Request, actor: CurrentActor,
                         body: NewKeywordBody) -> JSONResponse:
    data = await _create(request, actor, body.site_id, body.sector_id, [body])
    if not data["created"]:
        raise ApiError(409, "This sector already has that keyword.",
                       {"keyword": ["already exists in this sector"]})
    return ok(data["created"][0], "Keyword created.", status_code=201)


@router.post("/bulk_create/", status_code=201,
             summary="Create up to 1,000 keywords; duplicates are reported, not doubled")
async def bulk_create(request: Request, actor: CurrentActor, body: BulkCreateBody) -> JSONResponse:
    data = await _create(request, actor, body.site_id, body.sector_id, body.keywords)
    return ok(data, f"{len(data['created'])} created, {len(data['duplicates'])} duplicates.",
              status_code=201)


async def _edit(request: Request, actor: Actor, keyword_id: uuid.UUID, body: KeywordEdit,
                fields: set[str]) -> JSONResponse:
    ensure_can_write_content(actor)
    if not fields:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    changes = KeywordChanges(fields=sorted(fields), **body.model_dump(include=fields))
    update = UpdateKeyword(account_id=actor.account_id, keyword_id=keyword_id,
                           visible_site_ids=await scope_of(request, actor), changes=changes)
    return ok(await ask_planner(request, update, actor), "Keyword updated.")


@router.put("/{keyword_id}/", summary="Change a keyword (the fields given)")
async def put_keyword(request: Request, actor: CurrentActor, keyword_id: uuid.UUID,
                      body: KeywordEdit) -> JSONResponse:
    return await _edit(request, actor, keyword_id, body, set(body.model_fields_set))


@router.patch("/{keyword_id}/", summary="Change a keyword (the fields given)")
async def patch_keyword(request: Request, actor: CurrentActor, keyword_id: uuid.UUID,
                        body: KeywordEdit) -> JSONResponse:
    return await _edit(request, actor, keyword_id, body, set(body.model_fields_set))


@router.delete("/{keyword_id}/", summary="Delete a keyword")
async def delete_keyword(request: Request, actor: CurrentActor,
                         keyword_id: uuid.UUID) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteKeywords(account_id=actor.account_id, keyword_ids=[keyword_id],
                            visible_site_ids=await scope_of(request, actor))
    if (await ask_planner(request, delete, actor))["count"] == 0:
        raise ApiError(404, "Keyword not found.")
    return ok(None, "Keyword deleted.")


@router.post("/bulk_delete/", summary="Delete keywords; answers how many were deleted")
async def bulk_delete(request: Request, actor: CurrentActor, body: IdsBody) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteKeywords(account_id=actor.account_id, keyword_ids=body.ids,
                            visible_site_ids=await scope_of(request, actor))
    data = await ask_planner(request, delete, actor)
    return ok({"deleted_count": data["count"]}, f"{data['count']} keywords deleted.")


@router.post("/bulk_update_status/", summary="Set the status of keywords")
async def bulk_update_status(request: Request, actor: CurrentActor,
                             body: StatusBody) -> JSONResponse:
    ensure_can_write_content(actor)
    change = SetKeywordStatus(account_id=actor.account_id, keyword_ids=body.ids,
                              status=body.status, visible_site_ids=await scope_of(request, actor))
    data = await ask_planner(request, change, actor)
    return ok({"updated_count": data["count"]}, f"{data['count']} keywords updated.")


@router.post("/import_csv/", status_code=202,
             summary="Import a CSV/TSV export (Semrush, Ahrefs, Moz, Keyword Planner, or one "
                     "keyword per line) as an operation; answers data.operation_id")
async def import_csv(
    request: Request, actor: CurrentActor,
    file: Annotated[UploadFile, File(description="The CSV/TSV file")],
    site_id: Annotated[uuid.UUID, Form()],
    sector_id: Annotated[uuid.UUID, Form()],
    dry_run: Annotated[bool, Form()] = False,
    all_or_nothing: Annotated[bool, Form(description="Any rejected row: nothing written")] = False,
) -> JSONResponse:
    await scope_of(request, actor, site_id=site_id, sector_id=sector_id)
    ensure_can_write_content(actor)
    if not file.size:
        raise ApiError(400, "Invalid input.", {"file": ["The file is empty."]})
    runtime = runtime_of(request)
    operation_id = uuid.uuid4()
    object_name = f"{actor.account_id}/{operation_id}"
    store = await object_bucket(runtime.js, UPLOADS_BUCKET, UPLOADS_TTL_SECONDS)
    await file.seek(0)
    # A spooled temporary file (memory, then disk) read in chunks, never whole.
    await store.put(object_name, file.file)  # type: ignore[arg-type]
    command = ImportKeywords(operation_id=operation_id, account_id=actor.account_id,
                             site_id=site_id, sector_id=sector_id, bucket=UPLOADS_BUCKET,
                             object_name=object_name, filename=(file.filename or "")[:255],
                             dry_run=dry_run, all_or_nothing=all_or_nothing)
    return await accept_operation(request, actor, command, operation_id=operation_id,
                                  kind="planner.keywords.import", site_id=site_id,
                                  message="Import queued.")
