"""How identity objects look in API answers (JSON-ready dicts)."""

from __future__ import annotations

from typing import Any

from igny8_gateway.domain.grants import SiteAccessGrant
from igny8_gateway.domain.model import Account, Sector, Site, User
from igny8_gateway.service_layer.auth import SignedIn


def account_view(account: Account) -> dict[str, Any]:
    return {"id": account.id, "name": account.name, "plan_slug": account.plan_slug}


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "account_id": user.account_id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role.value,
        "is_active": user.is_active,
        "created_at": user.created_at,
    }


def profile_view(user: User, account: Account) -> dict[str, Any]:
    """``data.user`` of register/, login/ and me/: the user with their account."""
    return {**user_view(user), "account": account_view(account)}


def signed_in_view(signed_in: SignedIn) -> dict[str, Any]:
    return {
        "access": signed_in.access,
        "refresh": signed_in.refresh,
        "user": profile_view(signed_in.user, signed_in.account),
    }


def site_view(site: Site) -> dict[str, Any]:
    return {
        "id": site.id,
        "account_id": site.account_id,
        "name": site.name,
        "domain": site.domain,
        "is_active": site.is_active,
        "created_at": site.created_at,
    }


def sector_view(sector: Sector) -> dict[str, Any]:
    return {
        "id": sector.id,
        "account_id": sector.account_id,
        "site_id": sector.site_id,
        "name": sector.name,
        "is_active": sector.is_active,
        "created_at": sector.created_at,
    }


def grant_view(grant: SiteAccessGrant) -> dict[str, Any]:
    return {
        "id": grant.id,
        "account_id": grant.account_id,
        "site_id": grant.site_id,
        "user_id": grant.user_id,
        "created_at": grant.created_at,
    }
