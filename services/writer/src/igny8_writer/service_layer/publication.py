"""Content follows what the publisher reports: published (with the WordPress post's id and
address) when ContentPublished arrives, and the post's later status changes in WordPress."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from igny8_contracts.writer import ContentStatus, ContentStatusChanged
from igny8_runtime.logging import get_logger
from igny8_writer.service_layer.uow import WriterUnitOfWork

log = get_logger(__name__)


async def follow_publisher(uow: WriterUnitOfWork, account_id: uuid.UUID, content_id: uuid.UUID,
                           status: ContentStatus, *, external_id: str | None = None,
                           external_url: str | None = None) -> None:
    """Set the content's status (and where it is published); emits ContentStatusChanged when
    the status changed. The content's task becomes ``published`` with it."""
    current = await uow.content.get(account_id, content_id, lock=True)
    if current is None:
        log.warning("publisher reported unknown content", content_id=str(content_id))
        return
    values: dict[str, Any] = {"status": status}
    if external_id is not None:
        values["external_id"] = external_id[:100]
    if external_url is not None:
        values["external_url"] = external_url
    if status == "published" and current.status != "published":
        values["published_at"] = datetime.now(UTC)
    await uow.content.change(current.id, values)
    if status == "published" and current.task_id is not None:
        await uow.tasks.set_status(account_id, [current.task_id], "published")
    if status != current.status:
        uow.emit(ContentStatusChanged(account_id=account_id, site_id=current.site_id,
                                      content_id=current.id, status=status,
                                      previous=current.status), account_id=account_id)
