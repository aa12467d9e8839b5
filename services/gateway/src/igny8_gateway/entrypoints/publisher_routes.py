"""``POST /api/v1/publisher/publish/`` (an operation: 202 with ``data.operation_id``; progress
per article) and ``/api/v1/publisher/records/`` (what was published where, with errors).
The integration must be the caller's and on a site they see (else 404); publishing needs a
role that writes content. The gateway checks each content with the writer (another
account's content is 404 before anything is queued; content of another site than the
integration's is 400)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

from fastapi.responses import JSONResponse
from pydantic import Field, model_validator
from starlette.requests import Request

from igny8_contracts.publisher import (
    MAX_PUBLISH,
    GetIntegration,
    GetPublishingRecord,
    ListPublishingRecords,
    PublishContent,
    PublishingRecordView,
    PublishStatus,
    RecordStatus,
)
from igny8_contracts.writer import GetContent
from igny8_gateway.domain.model import Actor
from igny8_gateway.domain.policies import ensure_can_write_content
from igny8_gateway.entrypoints.accepting import accept_operation
from igny8_gateway.entrypoints.bodies import Body
from igny8_gateway.entrypoints.deps import ActorBus, Bus, CurrentActor, Paging
from igny8_gateway.entrypoints.errors import api_router
from igny8_gateway.entrypoints.views import OperationAccepted
from igny8_gateway.entrypoints.visibility import scope_of
from igny8_runtime.responses import ApiError, Listing, Ok, ok, paginated
from igny8_runtime.rpc import Refused

publish_router = api_router("/api/v1/publisher/publish", "publisher")
records_router = api_router("/api/v1/publisher/records", "publisher")
routers = (publish_router, records_router)

PUBLISH_OPERATION = "publisher.content.publish"


class PublishBody(Body):
    content_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_PUBLISH)
    integration_id: uuid.UUID
    status: PublishStatus = "publish"
    publish_at: datetime | None = None

    @model_validator(mode="after")
    def _future_needs_a_date(self) -> PublishBody:
        if self.status == "future":
            if self.publish_at is None:
                raise ValueError("publish_at is required when status is 'future'")
            when = self.publish_at if self.publish_at.tzinfo else self.publish_at.replace(tzinfo=UTC)
            if when <= datetime.now(UTC):
                raise ValueError("publish_at must be in the future")
        return self


async def _check_contents(bus: Bus, actor: Actor, content_ids: list[uuid.UUID],
                          visible: list[uuid.UUID] | None, site_id: uuid.UUID) -> None:
    """Every content must be the caller's, visible to them (else 404) and of the
    integration's site (else 400) — asked of the writer, all at once."""

    async def site_of(content_id: uuid.UUID) -> uuid.UUID | None:
        """The content's site; None when the writer does not find it for the caller."""
        try:
            content = await bus.ask(GetContent(account_id=actor.account_id,
                                               content_id=content_id, visible_site_ids=visible))
        except Refused as refused:
            if refused.status == 404:
                return None
            raise
        return content.site_id

    sites = await asyncio.gather(*(site_of(c) for c in content_ids))
    missing = [str(c) for c, site in zip(content_ids, sites, strict=True) if site is None]
    elsewhere = [str(c) for c, site in zip(content_ids, sites, strict=True)
                 if site is not None and site != site_id]
    if missing:
        raise ApiError(404, "Content not found.", {"content_ids": [f"not found: {', '.join(missing)}"]})
    if elsewhere:
        raise ApiError(400, "Invalid input.", {"content_ids": [
            f"not on the integration's site: {', '.join(elsewhere)}"]})


@publish_router.post("/", status_code=202, response_model=Ok[OperationAccepted],
                     summary="Publish content to the integration's WordPress as an operation "
                             "(create or update the post). Answers data.operation_id")
async def publish_content(request: Request, actor: CurrentActor, bus: ActorBus,
                          body: PublishBody) -> JSONResponse:
    visible = await scope_of(request, actor)
    integration = await bus.ask(GetIntegration(
        account_id=actor.account_id, integration_id=body.integration_id,
        visible_site_ids=visible))
    ensure_can_write_content(actor)
    content_ids = list(dict.fromkeys(body.content_ids))
    await _check_contents(bus, actor, content_ids, visible, integration.site_id)
    operation_id = uuid.uuid4()
    command = PublishContent(
        operation_id=operation_id, account_id=actor.account_id,
        integration_id=body.integration_id, content_ids=content_ids,
        status=body.status, publish_at=body.publish_at)
    return await accept_operation(
        request, actor, command, operation_id=operation_id, kind=PUBLISH_OPERATION,
        site_id=integration.site_id, message="Publishing queued.")


@records_router.get("/", response_model=Listing[PublishingRecordView],
                    summary="Publishing records (filter by integration, content, status); "
                            "paginated")
async def list_publishing_records(request: Request, actor: CurrentActor, bus: ActorBus,
                                  page: Paging, integration_id: uuid.UUID | None = None,
                                  content_id: uuid.UUID | None = None,
                                  status: RecordStatus | None = None) -> JSONResponse:
    found = await bus.ask(ListPublishingRecords(
        account_id=actor.account_id, visible_site_ids=await scope_of(request, actor),
        integration_id=integration_id, content_id=content_id, status=status,
        page=page.number, page_size=page.size))
    return paginated(request, found.results, found.count, page.number, page.size)


@records_router.get("/{record_id}/", response_model=Ok[PublishingRecordView],
                    summary="One publishing record")
async def get_publishing_record(request: Request, actor: CurrentActor, bus: ActorBus,
                                record_id: uuid.UUID) -> JSONResponse:
    return ok(await bus.ask(GetPublishingRecord(
        account_id=actor.account_id, record_id=record_id,
        visible_site_ids=await scope_of(request, actor))))
