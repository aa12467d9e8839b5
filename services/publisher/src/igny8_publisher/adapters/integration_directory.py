"""Which site an account's integration belongs to (the publisher's ``integrations`` table),
for the connection key: the integration must be the caller's account's and on a site they see."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from igny8_contracts.publisher_sync import IssueConnectionKey
from igny8_publisher.adapters.integration_tables import integrations
from igny8_runtime.uow import UnitOfWork


async def integration_site(uow: UnitOfWork, request: IssueConnectionKey) -> uuid.UUID | None:
    query = select(integrations.c.site_id).where(
        integrations.c.id == request.integration_id,
        integrations.c.account_id == request.account_id)
    if request.visible_site_ids is not None:
        query = query.where(integrations.c.site_id.in_(request.visible_site_ids))
    site_id: uuid.UUID | None = (await uow.session.execute(query)).scalar_one_or_none()
    return site_id
