"""Publishing commands and events (``on_event(`` below): ``PublishContent`` from the gateway
(an operation with per-article progress) and the writer's ``ContentApproved`` when the site's
integration publishes automatically."""

from __future__ import annotations

from igny8_contracts.publisher import PublishContent
from igny8_contracts.writer import ContentApproved
from igny8_publisher.app import service
from igny8_publisher.service_layer.publish_operations import (
    publish_approved_content,
    publish_content,
)
from igny8_publisher.service_layer.publishing import Publisher
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_runtime.handling import HandlerContext


@service.on_event(PublishContent, "publish-content")
async def on_publish_content(command: PublishContent, uow: PublisherUnitOfWork,
                             ctx: HandlerContext) -> None:
    """Publishes each article to the integration's WordPress and reports the outcome."""
    await publish_content(command, uow, ctx.get(Publisher), ctx.progress)


@service.on_event(ContentApproved, "publish-approved-content")
async def on_content_approved(event: ContentApproved, uow: PublisherUnitOfWork,
                              ctx: HandlerContext) -> None:
    """Publishes approved content when its site's integration says so (auto-publish)."""
    await publish_approved_content(event, uow, ctx.get(Publisher), ctx.envelope.id)
