"""What the writer hears from the publisher: content becomes ``published`` when
ContentPublished arrives (with the WordPress post's id and address), and follows the post's
later status changes in WordPress (ExternalPostStatusChanged)."""

from __future__ import annotations

from igny8_contracts.publisher import ContentPublished
from igny8_contracts.publisher_sync import ExternalPostStatusChanged
from igny8_runtime.handling import HandlerContext
from igny8_writer.app import service
from igny8_writer.service_layer.publication import follow_publisher
from igny8_writer.service_layer.uow import WriterUnitOfWork


@service.on_event(ContentPublished, "content-published")
async def on_content_published(event: ContentPublished, uow: WriterUnitOfWork,
                               ctx: HandlerContext) -> None:
    """Marks the content published, recording where (and its task published too)."""
    await follow_publisher(uow, event.account_id, event.content_id, "published",
                           external_id=event.external_id, external_url=event.external_url)


@service.on_event(ExternalPostStatusChanged, "external-post-status-changed")
async def on_external_status(event: ExternalPostStatusChanged, uow: WriterUnitOfWork,
                             ctx: HandlerContext) -> None:
    """The content's status follows its WordPress post's (published, draft, review, …)."""
    await follow_publisher(uow, event.account_id, event.content_id, event.status,
                           external_id=event.external_id)
