"""Events the gateway emits about identity and tenancy."""

from __future__ import annotations

import uuid
from typing import Literal

from igny8_contracts.messages import Event

Role = Literal["developer", "owner", "admin", "editor", "viewer", "system_bot"]


class AccountCreated(Event):
    subject_base = "evt.gateway.account.created"
    account_id: uuid.UUID
    name: str
    owner_user_id: uuid.UUID
    owner_email: str
    plan_slug: str


class UserAdded(Event):
    subject_base = "evt.gateway.user.added"
    account_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    role: Role


class UserRoleChanged(Event):
    subject_base = "evt.gateway.user.role_changed"
    account_id: uuid.UUID
    user_id: uuid.UUID
    old_role: Role
    new_role: Role


class UserDeactivated(Event):
    subject_base = "evt.gateway.user.deactivated"
    account_id: uuid.UUID
    user_id: uuid.UUID


class SiteCreated(Event):
    subject_base = "evt.gateway.site.created"
    account_id: uuid.UUID
    site_id: uuid.UUID
    name: str
    domain: str | None


class SiteUpdated(Event):
    subject_base = "evt.gateway.site.updated"
    account_id: uuid.UUID
    site_id: uuid.UUID
    name: str
    domain: str | None
    is_active: bool


class SiteDeleted(Event):
    subject_base = "evt.gateway.site.deleted"
    account_id: uuid.UUID
    site_id: uuid.UUID


class SectorCreated(Event):
    subject_base = "evt.gateway.sector.created"
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    name: str


class SectorUpdated(Event):
    subject_base = "evt.gateway.sector.updated"
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID
    name: str
    is_active: bool


class SectorDeleted(Event):
    subject_base = "evt.gateway.sector.deleted"
    account_id: uuid.UUID
    site_id: uuid.UUID
    sector_id: uuid.UUID


class SiteAccessGranted(Event):
    subject_base = "evt.gateway.site_access.granted"
    account_id: uuid.UUID
    site_id: uuid.UUID
    user_id: uuid.UUID


class SiteAccessRevoked(Event):
    subject_base = "evt.gateway.site_access.revoked"
    account_id: uuid.UUID
    site_id: uuid.UUID
    user_id: uuid.UUID
