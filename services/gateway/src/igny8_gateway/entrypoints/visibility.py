"""Which sites a request may reach: checked by the gateway (which owns sites, sectors and site
access) before it asks a service, which then scopes every id by the account and these sites."""

from __future__ import annotations

import uuid

from starlette.requests import Request

from igny8_gateway.domain.errors import NotFound
from igny8_gateway.domain.model import Actor
from igny8_gateway.service_layer.common import site_scope, visible_site
from igny8_gateway.service_layer.uow import GatewayUnitOfWork
from igny8_runtime.http import runtime_of


async def scope_of(request: Request, actor: Actor, *, site_id: uuid.UUID | None = None,
                   sector_id: uuid.UUID | None = None) -> list[uuid.UUID] | None:
    """The sites the actor may see (None: all of the account), after checking that the given
    site and sector are the account's and visible (else NotFound: 404)."""
    uow: GatewayUnitOfWork = runtime_of(request).uow(read_only=True)
    async with uow:
        if site_id is not None:
            await visible_site(uow, actor, site_id)
        if sector_id is not None:
            sector = await uow.sectors.get(actor.account_id, sector_id)
            if sector is None or (site_id is not None and sector.site_id != site_id):
                raise NotFound("Sector not found.")
            try:
                await visible_site(uow, actor, sector.site_id)
            except NotFound as exc:
                raise NotFound("Sector not found.") from exc
        scope = await site_scope(uow, actor)
    return None if scope is None else sorted(scope)
