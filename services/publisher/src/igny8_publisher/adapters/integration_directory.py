"""What the webhook ingress needs from the publisher's integrations and publishing records:
which site an account's integration belongs to (for a connection key: the caller's account's,
on a site they see), and which WordPress post an integration published a content into."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from igny8_publisher.adapters.integration_repository import IntegrationRepository
from igny8_publisher.adapters.integration_tables import publishing_records
from igny8_runtime.uow import UnitOfWork


async def integration_site(uow: UnitOfWork, account_id: uuid.UUID, integration_id: uuid.UUID,
                           visible_site_ids: list[uuid.UUID] | None) -> uuid.UUID | None:
    """The integration's site, if it is the account's and on a site the caller sees."""
    row = await IntegrationRepository(uow.session).get(account_id, integration_id, visible_site_ids)
    return None if row is None else row["site_id"]


async def published_post(uow: UnitOfWork, integration_id: uuid.UUID,
                         content_id: uuid.UUID) -> str | None:
    """The id of the post the integration published the content as (None: never published)."""
    external_id: str | None = (await uow.session.execute(
        select(publishing_records.c.external_id).where(
            publishing_records.c.integration_id == integration_id,
            publishing_records.c.content_id == content_id))).scalar_one_or_none()
    return external_id
