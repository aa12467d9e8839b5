"""Grants of sites to editors and viewers (owners and admins see every site anyway)."""

from __future__ import annotations

import uuid

from igny8_contracts.identity import SiteAccessGranted, SiteAccessRevoked
from igny8_gateway.domain.errors import Conflict, InvalidInput, NotFound
from igny8_gateway.domain.grants import SiteAccessGrant
from igny8_gateway.domain.model import Actor, Role, SiteAccess
from igny8_gateway.domain.policies import can_manage_site_access, ensure_can_manage_site_access
from igny8_gateway.service_layer.common import Listing, Page
from igny8_gateway.service_layer.uow import GatewayUnitOfWork

GRANTABLE_ROLES = frozenset({Role.EDITOR, Role.VIEWER})


async def list_grants(
    uow: GatewayUnitOfWork, actor: Actor, page: Page, *, user_id: uuid.UUID | None = None,
    site_id: uuid.UUID | None = None,
) -> Listing[SiteAccessGrant]:
    """Managers list every grant of the account; anyone else only their own."""
    if not can_manage_site_access(actor):
        if user_id is not None and user_id != actor.user_id:
            return Listing([], 0)
        user_id = actor.user_id
    async with uow:
        grants, count = await uow.site_access.list(
            actor.account_id, user_id=user_id, site_id=site_id, offset=page.offset,
            limit=page.size)
    return Listing(grants, count)


async def get_grant(uow: GatewayUnitOfWork, actor: Actor, grant_id: uuid.UUID) -> SiteAccessGrant:
    async with uow:
        grant = await uow.site_access.get(actor.account_id, grant_id)
    if grant is None or not (can_manage_site_access(actor) or grant.user_id == actor.user_id):
        raise NotFound("Site access grant not found.")
    return grant


async def grant_access(
    uow: GatewayUnitOfWork, actor: Actor, *, site_id: uuid.UUID, user_id: uuid.UUID
) -> SiteAccessGrant:
    """Emits SiteAccessGranted."""
    ensure_can_manage_site_access(actor)
    async with uow:
        site = await uow.sites.get(actor.account_id, site_id)
        if site is None:
            raise NotFound("Site not found.", field="site_id")
        user = await uow.users.get(actor.account_id, user_id)
        if user is None:
            raise NotFound("User not found.", field="user_id")
        if user.role not in GRANTABLE_ROLES:
            raise InvalidInput("Owners and admins see every site; grant sites to editors and "
                               "viewers.", field="user_id")
        if not user.is_active:
            raise InvalidInput("This user is deactivated.", field="user_id")
        grant = SiteAccessGrant(id=uuid.uuid4(), access=SiteAccess(
            account_id=actor.account_id, site_id=site.id, user_id=user.id))
        if await uow.site_access.exists(grant.access):
            raise Conflict("This user already has access to this site.")
        await uow.site_access.add(grant)
        uow.emit(SiteAccessGranted(account_id=grant.account_id, site_id=grant.site_id,
                                   user_id=grant.user_id),
                 account_id=grant.account_id)
        await uow.commit()
    return grant


async def revoke_access(uow: GatewayUnitOfWork, actor: Actor, grant_id: uuid.UUID) -> None:
    """Emits SiteAccessRevoked."""
    ensure_can_manage_site_access(actor)
    async with uow:
        grant = await uow.site_access.get(actor.account_id, grant_id)
        if grant is None:
            raise NotFound("Site access grant not found.")
        await uow.site_access.delete(grant)
        uow.emit(SiteAccessRevoked(account_id=grant.account_id, site_id=grant.site_id,
                                   user_id=grant.user_id),
                 account_id=grant.account_id)
        await uow.commit()
