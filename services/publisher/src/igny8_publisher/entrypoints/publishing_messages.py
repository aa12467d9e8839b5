"""Publishing commands and events (``on_event(`` below): ``PublishContent`` from the gateway
(an operation with per-article progress) and the writer's ``ContentApproved`` when the site's
integration publishes automatically."""

from __future__ import annotations

import uuid

from igny8_contracts import Envelope
from igny8_contracts.publisher import PublishContent
from igny8_contracts.writer import ContentApproved
from igny8_publisher.adapters.integration_repository import IntegrationRepository
from igny8_publisher.adapters.writer_content import WriterContentSource
from igny8_publisher.app import service
from igny8_publisher.entrypoints.integration_messages import secret_box
from igny8_publisher.service_layer.connections import safe_http
from igny8_publisher.service_layer.publishing import Publisher, publish_article
from igny8_publisher.settings import publisher_settings
from igny8_runtime.consumers import Reject
from igny8_runtime.media import media_store_from_settings
from igny8_runtime.operations import OperationReporter
from igny8_runtime.service import ServiceRuntime
from igny8_runtime.uow import UnitOfWork

OPERATION_TYPE = "publisher.content.publish"


class _Running:
    publisher: Publisher | None = None

    @classmethod
    def get(cls) -> Publisher:
        assert cls.publisher is not None, "publisher not started"
        return cls.publisher


@service.on_start
async def build_publisher(runtime: ServiceRuntime) -> None:
    settings = publisher_settings()
    _Running.publisher = Publisher(
        uow=runtime.uow, contents=WriterContentSource(runtime.broker, settings.writer_timeout_seconds),
        media=media_store_from_settings(), box=secret_box(runtime), settings=settings,
        http=safe_http(settings))


async def _progress(reporter: OperationReporter, percent: int, message: str) -> None:
    async with _Running.get().uow() as uow:
        reporter.update(uow, phase="PUBLISH", percent=percent, message=message)
        await uow.commit()


@service.on_event_legacy(PublishContent, "publish-content")
async def on_publish_content(command: PublishContent, envelope: Envelope, uow: UnitOfWork) -> None:
    """Publishes each article to the integration's WordPress and reports the outcome."""
    if envelope.account_id != command.account_id:
        raise Reject("the envelope's account differs from the command's account")
    publisher = _Running.get()
    reporter = OperationReporter(command.operation_id, command.account_id, OPERATION_TYPE)
    content_ids = list(dict.fromkeys(command.content_ids))  # a repeated id is published once
    total = len(content_ids)
    outcomes = []
    for index, content_id in enumerate(content_ids):
        await _progress(reporter, 5 + 90 * index // total, f"Publishing article {index + 1} of {total}")
        outcomes.append(await publish_article(
            publisher, account_id=command.account_id, integration_id=command.integration_id,
            content_id=content_id, status=command.status, publish_at=command.publish_at,
            operation_id=command.operation_id))
    published = [o for o in outcomes if o.ok]
    failed = [o for o in outcomes if not o.ok]
    result = {"published": len(published), "failed": len(failed),
              "articles": [o.as_result() for o in outcomes]}
    if not published:
        reporter.fail(uow, "; ".join(dict.fromkeys(o.error or "" for o in failed)),
                      message=f"Nothing was published ({len(failed)} failed).")
        return
    reporter.succeed(uow, result, message=f"{len(published)} published"
                     + (f", {len(failed)} failed." if failed else "."))


@service.on_event_legacy(ContentApproved, "publish-approved-content")
async def on_content_approved(event: ContentApproved, envelope: Envelope, uow: UnitOfWork) -> None:
    """Publishes approved content when its site's integration says so (auto-publish)."""
    integration = await IntegrationRepository(uow.session).for_site(event.account_id, event.site_id)
    if integration is None or not integration["auto_publish"] or not integration["is_active"]:
        return
    await publish_article(
        _Running.get(), account_id=event.account_id, integration_id=integration["id"],
        content_id=event.content_id, status=integration["publish_status"]
        if integration["publish_status"] != "future" else "publish", publish_at=None,
        operation_id=uuid.uuid5(uuid.NAMESPACE_URL, f"igny8:auto-publish:{envelope.id}"))
