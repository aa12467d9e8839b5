"""Sectors (topics) of a site: at most five active per site. Sectors of a site the actor
cannot see are NotFound."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from igny8_contracts.identity import SectorCreated, SectorDeleted, SectorUpdated
from igny8_gateway.domain.errors import NotFound
from igny8_gateway.domain.model import Actor, Sector
from igny8_gateway.domain.policies import ensure_can_add_sector, ensure_can_manage_sectors
from igny8_gateway.service_layer.common import Listing, Page, site_scope, visible_site
from igny8_gateway.service_layer.uow import GatewayUnitOfWork


@dataclass(frozen=True)
class SectorChanges:
    """``None`` leaves a field as it is."""

    name: str | None = None
    is_active: bool | None = None


async def list_sectors(
    uow: GatewayUnitOfWork, actor: Actor, page: Page, site_id: uuid.UUID | None = None
) -> Listing[Sector]:
    async with uow:
        if site_id is not None:
            await visible_site(uow, actor, site_id)
        only = await site_scope(uow, actor)
        sectors, count = await uow.sectors.list(actor.account_id, only, site_id, page.offset,
                                                page.size)
    return Listing(sectors, count)


async def get_sector(uow: GatewayUnitOfWork, actor: Actor, sector_id: uuid.UUID) -> Sector:
    async with uow:
        return await _visible_sector(uow, actor, sector_id)


async def create_sector(
    uow: GatewayUnitOfWork, actor: Actor, *, site_id: uuid.UUID, name: str
) -> Sector:
    """Emits SectorCreated. The site row is locked while its active sectors are counted."""
    async with uow:
        site = await visible_site(uow, actor, site_id, lock=True)
        ensure_can_manage_sectors(actor)
        ensure_can_add_sector(await uow.sectors.count_active(actor.account_id, site.id))
        sector = Sector(id=uuid.uuid4(), account_id=actor.account_id, site_id=site.id, name=name)
        await uow.sectors.add(sector)
        uow.emit(SectorCreated(account_id=sector.account_id, site_id=sector.site_id,
                               sector_id=sector.id, name=sector.name),
                 account_id=sector.account_id)
        await uow.commit()
    return sector


async def update_sector(
    uow: GatewayUnitOfWork, actor: Actor, sector_id: uuid.UUID, changes: SectorChanges
) -> Sector:
    """Emits SectorUpdated. Reactivating a sector counts against the five again."""
    async with uow:
        sector = await _visible_sector(uow, actor, sector_id)
        ensure_can_manage_sectors(actor)
        if changes.is_active and not sector.is_active:
            await visible_site(uow, actor, sector.site_id, lock=True)
            ensure_can_add_sector(await uow.sectors.count_active(actor.account_id,
                                                                 sector.site_id))
        if changes.name is not None:
            sector.name = changes.name
        if changes.is_active is not None:
            sector.is_active = changes.is_active
        await uow.sectors.save(sector)
        uow.emit(SectorUpdated(account_id=sector.account_id, site_id=sector.site_id,
                               sector_id=sector.id, name=sector.name,
                               is_active=sector.is_active),
                 account_id=sector.account_id)
        await uow.commit()
    return sector


async def delete_sector(uow: GatewayUnitOfWork, actor: Actor, sector_id: uuid.UUID) -> None:
    """Emits SectorDeleted."""
    async with uow:
        sector = await _visible_sector(uow, actor, sector_id)
        ensure_can_manage_sectors(actor)
        await uow.sectors.delete(sector)
        uow.emit(SectorDeleted(account_id=sector.account_id, site_id=sector.site_id,
                               sector_id=sector.id),
                 account_id=sector.account_id)
        await uow.commit()


async def _visible_sector(uow: GatewayUnitOfWork, actor: Actor, sector_id: uuid.UUID) -> Sector:
    sector = await uow.sectors.get(actor.account_id, sector_id)
    if sector is None:
        raise NotFound("Sector not found.")
    try:
        await visible_site(uow, actor, sector.site_id)
    except NotFound as exc:
        raise NotFound("Sector not found.") from exc
    return sector
