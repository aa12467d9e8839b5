"""What starts publishing: a ``PublishContent`` command (an operation publishing its articles one
by one, with progress per article) and the writer's ``ContentApproved`` when the site's
integration publishes automatically. Each article is ``publishing.publish_article``."""

from __future__ import annotations

import uuid

from igny8_contracts.publisher import PublishContent
from igny8_contracts.writer import ContentApproved
from igny8_publisher.service_layer.publishing import Publisher, publish_article
from igny8_publisher.service_layer.uow import PublisherUnitOfWork
from igny8_runtime.handling import Progress
from igny8_runtime.operations import OperationReporter

OPERATION_TYPE = "publisher.content.publish"


async def publish_content(command: PublishContent, uow: PublisherUnitOfWork,
                          publisher: Publisher, progress: Progress) -> None:
    """Publish each article (its own transactions) and end the operation in ``uow``."""
    reporter = OperationReporter(command.operation_id, command.account_id, OPERATION_TYPE)
    content_ids = list(dict.fromkeys(command.content_ids))  # a repeated id is published once
    total = len(content_ids)
    outcomes = []
    for index, content_id in enumerate(content_ids):
        await progress(reporter, "PUBLISH", 5 + 90 * index // total,
                       f"Publishing article {index + 1} of {total}")
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


async def publish_approved_content(event: ContentApproved, uow: PublisherUnitOfWork,
                                   publisher: Publisher, approval_id: uuid.UUID) -> None:
    """Publish the approved article if its site's integration is on and publishes automatically
    (``approval_id``, the approval message's id, names the publishing once)."""
    integration = await uow.integrations.for_site(event.account_id, event.site_id)
    if integration is None or not integration["auto_publish"] or not integration["is_active"]:
        return
    await publish_article(
        publisher, account_id=event.account_id, integration_id=integration["id"],
        content_id=event.content_id, status=integration["publish_status"]
        if integration["publish_status"] != "future" else "publish", publish_at=None,
        operation_id=uuid.uuid5(uuid.NAMESPACE_URL, f"igny8:auto-publish:{approval_id}"))
