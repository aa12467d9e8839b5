"""What several handlers share: paging, and which sites the actor can see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Generic, TypeVar

from igny8_gateway.domain.errors import NotFound
from igny8_gateway.domain.model import Actor, Site
from igny8_gateway.domain.policies import can_see_all_sites, ensure_can_see_site
from igny8_gateway.service_layer.uow import GatewayUnitOfWork

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = 20

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class Listing(Generic[T]):
    items: list[T]
    count: int


async def site_scope(uow: GatewayUnitOfWork, actor: Actor) -> frozenset[uuid.UUID] | None:
    """The site ids the actor may see, or ``None`` for every site of its account."""
    if can_see_all_sites(actor):
        return None
    return await uow.site_access.site_ids_of(actor.account_id, actor.user_id)


async def visible_site(
    uow: GatewayUnitOfWork, actor: Actor, site_id: uuid.UUID, *, lock: bool = False
) -> Site:
    """The site, if it is in the actor's account and the actor may see it; else NotFound."""
    site = await uow.sites.get(actor.account_id, site_id, lock=lock)
    if site is None:
        raise NotFound("Site not found.", field="site_id")
    if not can_see_all_sites(actor):
        granted = await uow.site_access.site_ids_of(actor.account_id, actor.user_id)
        ensure_can_see_site(actor, site.id, granted)
    return site
