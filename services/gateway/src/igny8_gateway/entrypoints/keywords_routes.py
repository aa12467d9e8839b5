"""``/api/v1/planner/keywords/``: the gateway checks that the site and sector belong to the
caller (and are visible to them), then asks the planner over request/reply, passing the sites
the caller may see. Imports stream the upload into the object store and queue a command (202);
exports stream the planner's CSV out of the object store; ``auto_cluster/`` queues a clustering
(an AI method holds its credits first: 402 when the account cannot pay)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Annotated

import anyio
from fastapi import Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse
from nats.js import JetStreamContext
from nats.js.api import ObjectStoreConfig
from nats.js.errors import BucketNotFoundError, NotFoundError
from nats.js.object_store import ObjectStore
from pydantic import Field
from starlette.requests import Request

from igny8_contracts import pricing
from igny8_contracts.planner import (
    AVAILABLE_CLUSTERING_METHODS,
    MAX_BULK,
    MAX_CLUSTER_COUNT,
    UPLOADS_BUCKET,
    UPLOADS_TTL_SECONDS,
    AutoClusterKeywordsV2,
    ClusterGranularity,
    ClusteringMethod,
    CreatedKeywords,
    CreateKeywords,
    DeleteKeywords,
    ExportKeywords,
    GetKeyword,
    ImportKeywords,
    KeywordChanges,
    KeywordFilters,
    KeywordIntent,
    KeywordOrdering,
    KeywordPage,
    KeywordStatus,
    KeywordView,
    ListKeywords,
    NewKeyword,
    SetKeywordStatus,
    UpdateKeyword,
)
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import OperationAccepted, accept_operation
from igny8_gateway.entrypoints.answers import DeletedCount, UpdatedCount
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import ActorBus, Bus, CurrentActor
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.paid_operations import Hold, start_paid_operation
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.context import request_id_var
from igny8_runtime.http import runtime_of
from igny8_runtime.responses import ApiError, Listing, Ok, as_json, ok

router = api_router("/api/v1/planner/keywords", "planner")
routers = (router,)

IMPORT_OPERATION = "planner.keywords.import"
AUTO_CLUSTER_OPERATION = "planner.keywords.auto_cluster"
EXPORT_TIMEOUT_SECONDS = 300.0
CHUNK_BYTES = 256 * 1024
MAX_CLUSTERED_KEYWORDS = 100_000


class CsvStream(StreamingResponse):
    media_type = "text/csv"


def keyset_listing(request: Request, page: KeywordPage) -> JSONResponse:
    """A keyset page in the listing shape: ``next`` / ``previous`` are this URL with the
    neighbouring page's cursor."""
    def link(cursor: str | None) -> str | None:
        return str(request.url.include_query_params(cursor=cursor)) if cursor else None

    listing = Listing[KeywordView](
        success=True, count=page.count, next=link(page.next_cursor),
        previous=link(page.previous_cursor), results=page.results,
        request_id=request_id_var.get())
    return JSONResponse(content=as_json(listing))


async def object_bucket(js: JetStreamContext, name: str, ttl: float) -> ObjectStore:
    try:
        return await js.object_store(name)
    except (BucketNotFoundError, NotFoundError):
        return await js.create_object_store(name, ObjectStoreConfig(bucket=name, ttl=ttl))


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


class NewKeywordBody(NewKeyword):
    site_id: uuid.UUID
    sector_id: uuid.UUID


class BulkCreateKeywordsBody(Body):
    site_id: uuid.UUID
    sector_id: uuid.UUID
    keywords: list[NewKeyword] = Field(min_length=1, max_length=MAX_BULK)


class KeywordEdit(Body):
    keyword: str | None = Field(default=None, min_length=1, max_length=255)
    volume: int | None = Field(default=None, ge=0)
    difficulty: int | None = Field(default=None, ge=0, le=100)
    cpc: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    intent: KeywordIntent | None = None
    status: KeywordStatus | None = None


class KeywordIdsBody(Body):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)


class KeywordStatusBody(KeywordIdsBody):
    status: KeywordStatus


class AutoClusterBody(Body):
    site_id: uuid.UUID
    sector_id: uuid.UUID
    keyword_ids: list[uuid.UUID] | None = Field(default=None, min_length=1,
                                                max_length=MAX_CLUSTERED_KEYWORDS)
    method: ClusteringMethod = "local"
    granularity: ClusterGranularity = Field(
        default="medium", description="fine: tight article-sized clusters; coarse: broad topics")
    cluster_count: int | None = Field(
        default=None, ge=1, le=MAX_CLUSTER_COUNT,
        description="Exactly this many clusters (at most the number of keywords clustered)")
    keywords_per_cluster: int | None = Field(
        default=None, ge=1, le=MAX_CLUSTER_COUNT,
        description="About this many keywords per cluster (instead of cluster_count)")


# ------------------------------------------------------------------------------ fixed paths


@router.get("/", response_model=Listing[KeywordView],
            summary="Keywords, filtered; keyset pages (`next` carries a cursor)")
async def list_keywords(
    request: Request, actor: CurrentActor, bus: ActorBus, params: Filters,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    page_size: Annotated[int, Query(ge=1, le=500)] = 20,
) -> JSONResponse:
    query = ListKeywords(account_id=actor.account_id, filters=await params.scoped(request, actor),
                         ordering=params.ordering, cursor=cursor, page_size=page_size)
    return keyset_listing(request, await bus.ask(query))


# FastAPI documents declared answers in the route class's media type: a plain StreamingResponse
# (none) keeps the error answers JSON, and the CSV is declared here.
@router.get("/export_csv/", response_class=StreamingResponse,
            summary="The filtered keywords as CSV, streamed",
            responses={200: {"description": "The keywords as CSV (a header row, then one row "
                                            "per keyword)",
                             "content": {"text/csv": {"schema": {"type": "string"}}},
                             "headers": {"X-Total-Rows": {"description": "Rows after the header",
                                                          "schema": {"type": "integer"}}}}})
async def export_keywords_csv(request: Request, actor: CurrentActor, bus: ActorBus,
                              params: Filters) -> CsvStream:
    export = ExportKeywords(account_id=actor.account_id, filters=await params.scoped(request, actor),
                            ordering=params.ordering)
    exported = await bus.ask(export, timeout=EXPORT_TIMEOUT_SECONDS)
    store = await runtime_of(request).js.object_store(exported.bucket)
    handle, name = tempfile.mkstemp(prefix="igny8-export-")
    with os.fdopen(handle, "wb") as target:
        await store.get(exported.object_name, writeinto=target)

    async def chunks() -> AsyncIterator[bytes]:
        try:
            async with await anyio.open_file(name, "rb") as source:
                while chunk := await source.read(CHUNK_BYTES):
                    yield chunk
        finally:
            with contextlib.suppress(FileNotFoundError):
                await anyio.Path(name).unlink()
            with contextlib.suppress(Exception):
                await store.delete(exported.object_name)

    return CsvStream(chunks(), headers={
        "Content-Disposition": 'attachment; filename="keywords.csv"',
        "X-Total-Rows": str(exported.rows)})


async def _create(request: Request, actor: Actor, bus: Bus, site_id: uuid.UUID,
                  sector_id: uuid.UUID, keywords: list[NewKeyword]) -> CreatedKeywords:
    await scope_of(request, actor, site_id=site_id, sector_id=sector_id)
    ensure_can_write_content(actor)
    return await bus.ask(CreateKeywords(account_id=actor.account_id, site_id=site_id,
                                        sector_id=sector_id, keywords=keywords))


@router.post("/", status_code=201, response_model=Ok[KeywordView],
             summary="Create a keyword in a sector (409 if it exists)")
async def create_keyword(request: Request, actor: CurrentActor, bus: ActorBus,
                         body: NewKeywordBody) -> JSONResponse:
    keyword = NewKeyword(**body.model_dump(include=set(NewKeyword.model_fields)))
    created = await _create(request, actor, bus, body.site_id, body.sector_id, [keyword])
    if not created.created:
        raise ApiError(409, "This sector already has that keyword.",
                       {"keyword": ["already exists in this sector"]})
    return ok(created.created[0], "Keyword created.", status_code=201)


@router.post("/bulk_create/", status_code=201, response_model=Ok[CreatedKeywords],
             summary="Create up to 1,000 keywords; duplicates are reported, not doubled")
async def bulk_create_keywords(request: Request, actor: CurrentActor, bus: ActorBus,
                               body: BulkCreateKeywordsBody) -> JSONResponse:
    created = await _create(request, actor, bus, body.site_id, body.sector_id, body.keywords)
    return ok(created, f"{len(created.created)} created, {len(created.duplicates)} duplicates.",
              status_code=201)


@router.post("/bulk_delete/", response_model=Ok[DeletedCount],
             summary="Delete keywords; answers how many were deleted")
async def bulk_delete_keywords(request: Request, actor: CurrentActor, bus: ActorBus,
                               body: KeywordIdsBody) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteKeywords(account_id=actor.account_id, keyword_ids=body.ids,
                            visible_site_ids=await scope_of(request, actor))
    count = (await bus.ask(delete)).count
    return ok(DeletedCount(deleted_count=count), f"{count} keywords deleted.")


@router.post("/bulk_update_status/", response_model=Ok[UpdatedCount],
             summary="Set the status of keywords")
async def bulk_update_keyword_status(request: Request, actor: CurrentActor, bus: ActorBus,
                                     body: KeywordStatusBody) -> JSONResponse:
    ensure_can_write_content(actor)
    change = SetKeywordStatus(account_id=actor.account_id, keyword_ids=body.ids,
                              status=body.status, visible_site_ids=await scope_of(request, actor))
    count = (await bus.ask(change)).count
    return ok(UpdatedCount(updated_count=count), f"{count} keywords updated.")


@router.post("/import_csv/", status_code=202, response_model=Ok[OperationAccepted],
             summary="Import a CSV/TSV export (Semrush, Ahrefs, Moz, Keyword Planner, or one "
                     "keyword per line) as an operation; answers data.operation_id")
async def import_keywords_csv(
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
                                  kind=IMPORT_OPERATION, site_id=site_id,
                                  message="Import queued.")


@router.post(
    "/auto_cluster/", status_code=202, response_model=Ok[OperationAccepted],
    summary="Cluster a sector's unclustered (or the given) keywords as an operation; new "
            "keywords join existing clusters when close enough. Answers data.operation_id")
async def auto_cluster_keywords(request: Request, actor: CurrentActor, bus: ActorBus,
                                body: AutoClusterBody) -> JSONResponse:
    await scope_of(request, actor, site_id=body.site_id, sector_id=body.sector_id)
    ensure_can_write_content(actor)
    if body.method not in AVAILABLE_CLUSTERING_METHODS:
        raise ApiError(400, "Invalid input.", {"method": [
            f"The {body.method!r} method is not available yet; use "
            f"{', '.join(map(repr, AVAILABLE_CLUSTERING_METHODS))}."]})
    _check_cluster_size(body)
    operation_id = uuid.uuid4()
    command = AutoClusterKeywordsV2(
        operation_id=operation_id, account_id=actor.account_id, site_id=body.site_id,
        sector_id=body.sector_id, keyword_ids=body.keyword_ids, method=body.method,
        granularity=body.granularity, cluster_count=body.cluster_count,
        keywords_per_cluster=body.keywords_per_cluster)
    # The local method costs nothing; an AI method holds one run under the operation id, which
    # the planner settles.
    holds = [] if body.method == "local" else [
        Hold(str(operation_id), pricing.CLUSTERING, pricing.CLUSTERING_RUNS_TO_RESERVE)]
    return await start_paid_operation(request, actor, bus, command, holds,
                                      operation_id=operation_id, kind=AUTO_CLUSTER_OPERATION,
                                      site_id=body.site_id, message="Clustering queued.")


def _check_cluster_size(body: AutoClusterBody) -> None:
    """At most one of cluster_count and keywords_per_cluster, neither with the llm method, and
    neither above the number of keywords given (without ``keyword_ids`` the planner checks
    against the sector's unclustered keywords)."""
    errors: dict[str, list[str]] = {}
    if body.cluster_count is not None and body.keywords_per_cluster is not None:
        errors["keywords_per_cluster"] = ["Give cluster_count or keywords_per_cluster, not both."]
    if body.method == "llm":
        for field in ("cluster_count", "keywords_per_cluster"):
            if getattr(body, field) is not None:
                errors[field] = ["The llm method chooses its clusters itself; use the local or "
                                 "semantic method to set their number or size."]
    given = len(set(body.keyword_ids)) if body.keyword_ids is not None else None
    for field in ("cluster_count", "keywords_per_cluster"):
        value = getattr(body, field)
        if given is not None and value is not None and value > given:
            errors.setdefault(field, []).append(
                f"At most the number of keywords clustered ({given:,}).")
    if errors:
        raise ApiError(400, "Invalid input.", errors)


# ------------------------------------------------------------------------------ one keyword


@router.get("/{keyword_id}/", response_model=Ok[KeywordView], summary="One keyword")
async def get_keyword(request: Request, actor: CurrentActor, bus: ActorBus,
                      keyword_id: uuid.UUID) -> JSONResponse:
    query = GetKeyword(account_id=actor.account_id, keyword_id=keyword_id,
                       visible_site_ids=await scope_of(request, actor))
    return ok(await bus.ask(query))


async def _edit(request: Request, actor: Actor, bus: Bus, keyword_id: uuid.UUID,
                body: KeywordEdit) -> JSONResponse:
    ensure_can_write_content(actor)
    fields = set(body.model_fields_set)
    if not fields:
        raise ApiError(400, "Invalid input.", {"non_field_errors": ["Nothing to change."]})
    changes = KeywordChanges(fields=sorted(fields), **body.model_dump(include=fields))
    update = UpdateKeyword(account_id=actor.account_id, keyword_id=keyword_id,
                           visible_site_ids=await scope_of(request, actor), changes=changes)
    return ok(await bus.ask(update), "Keyword updated.")


@router.put("/{keyword_id}/", response_model=Ok[KeywordView],
            summary="Change a keyword (the fields given)")
async def put_keyword(request: Request, actor: CurrentActor, bus: ActorBus,
                      keyword_id: uuid.UUID, body: KeywordEdit) -> JSONResponse:
    return await _edit(request, actor, bus, keyword_id, body)


@router.patch("/{keyword_id}/", response_model=Ok[KeywordView],
              summary="Change a keyword (the fields given)")
async def patch_keyword(request: Request, actor: CurrentActor, bus: ActorBus,
                        keyword_id: uuid.UUID, body: KeywordEdit) -> JSONResponse:
    return await _edit(request, actor, bus, keyword_id, body)


@router.delete("/{keyword_id}/", response_model=Ok[None], summary="Delete a keyword")
async def delete_keyword(request: Request, actor: CurrentActor, bus: ActorBus,
                         keyword_id: uuid.UUID) -> JSONResponse:
    ensure_can_write_content(actor)
    delete = DeleteKeywords(account_id=actor.account_id, keyword_ids=[keyword_id],
                            visible_site_ids=await scope_of(request, actor))
    if (await bus.ask(delete)).count == 0:
        raise ApiError(404, "Keyword not found.")
    return ok(None, "Keyword deleted.")
