"""Sites of an account. Owners and admins manage them; editors and viewers see the ones they
were granted (any other id answers NotFound)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from igny8_contracts.identity import SiteCreated, SiteDeleted, SiteUpdated
from igny8_gateway.domain.errors import NotFound
from igny8_gateway.domain.model import Actor, Site, normalize_domain
from igny8_gateway.domain.policies import ensure_can_manage_sites, ensure_within_plan
from igny8_gateway.service_layer.common import Listing, Page, site_scope, visible_site
from igny8_gateway.service_layer.uow import GatewayUnitOfWork


@dataclass(frozen=True)
class SiteChanges:
    """``None`` leaves a field as it is; ``domain=""`` removes the domain."""

    name: str | None = None
    domain: str | None = None
    is_active: bool | None = None


async def list_sites(uow: GatewayUnitOfWork, actor: Actor, page: Page) -> Listing[Site]:
    async with uow:
        only = await site_scope(uow, actor)
        sites, count = await uow.sites.list(actor.account_id, only, page.offset, page.size)
    return Listing(sites, count)


async def get_site(uow: GatewayUnitOfWork, actor: Actor, site_id: uuid.UUID) -> Site:
    async with uow:
        return await visible_site(uow, actor, site_id)


async def create_site(
    uow: GatewayUnitOfWork, actor: Actor, *, name: str, domain: str | None
) -> Site:
    """Emits SiteCreated. Counts against the plan's ``max_sites`` (active sites)."""
    ensure_can_manage_sites(actor)
    site = Site(id=uuid.uuid4(), account_id=actor.account_id, name=name,
                domain=normalize_domain(domain))
    async with uow:
        await _ensure_room_for_a_site(uow, actor)
        await uow.sites.add(site)
        uow.emit(SiteCreated(account_id=site.account_id, site_id=site.id, name=site.name,
                             domain=site.domain),
                 account_id=site.account_id)
        await uow.commit()
    return site


async def update_site(
    uow: GatewayUnitOfWork, actor: Actor, site_id: uuid.UUID, changes: SiteChanges
) -> Site:
    """Emits SiteUpdated. Reactivating a site counts against the plan again."""
    domain = normalize_domain(changes.domain) if changes.domain is not None else None
    async with uow:
        site = await visible_site(uow, actor, site_id)
        ensure_can_manage_sites(actor)
        if changes.is_active and not site.is_active:
            await _ensure_room_for_a_site(uow, actor)
        if changes.name is not None:
            site.name = changes.name
        if changes.domain is not None:
            site.domain = domain
        if changes.is_active is not None:
            site.is_active = changes.is_active
        await uow.sites.save(site)
        uow.emit(SiteUpdated(account_id=site.account_id, site_id=site.id, name=site.name,
                             domain=site.domain, is_active=site.is_active),
                 account_id=site.account_id)
        await uow.commit()
    return site


async def delete_site(uow: GatewayUnitOfWork, actor: Actor, site_id: uuid.UUID) -> None:
    """Deletes the site with its sectors and access grants. Emits only SiteDeleted:
    consumers drop what hangs under the site with it."""
    async with uow:
        site = await visible_site(uow, actor, site_id)
        ensure_can_manage_sites(actor)
        await uow.sites.delete(site)
        uow.emit(SiteDeleted(account_id=site.account_id, site_id=site.id),
                 account_id=site.account_id)
        await uow.commit()


async def _ensure_room_for_a_site(uow: GatewayUnitOfWork, actor: Actor) -> None:
    # The account row stays locked until commit: parallel requests count one after another.
    account = await uow.accounts.get(actor.account_id, lock=True)
    if account is None:
        raise NotFound("Account not found.")
    ensure_within_plan("sites", await uow.sites.count_active(account.id), account.max_sites)
