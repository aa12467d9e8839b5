"""How the gateway's own data looks in API answers: one pydantic model per shape (they are the
schemas of ``/openapi.json``, named for the web app's generated client), and the functions that
build them from the domain's objects."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from igny8_contracts.operations import OperationState
from igny8_gateway.adapters.ai_connection import ConnectionReport, Outcome
from igny8_gateway.domain.ai_settings import (
    DEFAULT_EMBEDDING_MODEL,
    DEFAULT_IMAGE_MODEL,
    DEFAULT_MODEL,
    AiSettings,
    ProviderKind,
)
from igny8_gateway.domain.grants import SiteAccessGrant
from igny8_gateway.domain.model import Account, Actor, Role, Sector, Site, User
from igny8_gateway.domain.operations import Operation
from igny8_gateway.domain.policies import can_manage_account
from igny8_gateway.service_layer.auth import SignedIn
from igny8_gateway.service_layer.prompts import AccountPrompt


class View(BaseModel):
    """An answer's data: exactly these fields (``additionalProperties: false``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------ identity


class AccountView(View):
    id: uuid.UUID
    name: str
    plan_slug: str


class UserView(View):
    id: uuid.UUID
    account_id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    role: Role
    is_active: bool
    created_at: datetime


class ProfileView(UserView):
    """The signed-in user with their account (``me/``, and ``user`` of a sign-in)."""

    account: AccountView


class TokenPair(View):
    """A sign-in: the short-lived access token (``Authorization: Bearer``), the refresh token
    (for ``refresh/`` and ``logout/``; each refresh answers a new one), and who signed in."""

    access: str
    refresh: str
    user: ProfileView


class SiteView(View):
    id: uuid.UUID
    account_id: uuid.UUID
    name: str
    domain: str | None
    is_active: bool
    created_at: datetime


class SectorView(View):
    id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    name: str
    is_active: bool
    created_at: datetime


class SiteAccessView(View):
    """A grant: the editor or viewer ``user_id`` may work on ``site_id``."""

    id: uuid.UUID
    account_id: uuid.UUID
    site_id: uuid.UUID
    user_id: uuid.UUID
    created_at: datetime


def account_view(account: Account) -> AccountView:
    return AccountView(id=account.id, name=account.name, plan_slug=account.plan_slug)


def _user_fields(user: User) -> dict[str, Any]:
    return {"id": user.id, "account_id": user.account_id, "email": user.email,
            "first_name": user.first_name, "last_name": user.last_name, "role": user.role,
            "is_active": user.is_active, "created_at": user.created_at}


def user_view(user: User) -> UserView:
    return UserView(**_user_fields(user))


def profile_view(user: User, account: Account) -> ProfileView:
    return ProfileView(**_user_fields(user), account=account_view(account))


def token_pair(signed_in: SignedIn) -> TokenPair:
    return TokenPair(access=signed_in.access, refresh=signed_in.refresh,
                     user=profile_view(signed_in.user, signed_in.account))


def site_view(site: Site) -> SiteView:
    return SiteView(id=site.id, account_id=site.account_id, name=site.name, domain=site.domain,
                    is_active=site.is_active, created_at=site.created_at)


def sector_view(sector: Sector) -> SectorView:
    return SectorView(id=sector.id, account_id=sector.account_id, site_id=sector.site_id,
                      name=sector.name, is_active=sector.is_active, created_at=sector.created_at)


def grant_view(grant: SiteAccessGrant) -> SiteAccessView:
    return SiteAccessView(id=grant.id, account_id=grant.account_id, site_id=grant.site_id,
                          user_id=grant.user_id, created_at=grant.created_at)


# ------------------------------------------------------------------------------ operations


class OperationMeta(View):
    """The original system's progress modal reads these."""

    phase: str
    percentage: int
    message: str
    cost: int | None


class OperationView(View):
    id: uuid.UUID
    task_id: uuid.UUID = Field(description="Same as id (the original system's name)")
    account_id: uuid.UUID
    site_id: uuid.UUID | None
    kind: str
    state: OperationState
    phase: str
    percent: int
    message: str
    result: dict[str, Any] | None
    error: str | None
    cost: int | None
    is_final: bool
    created_at: datetime
    updated_at: datetime
    meta: OperationMeta


class OperationAccepted(View):
    """A long-running operation was queued (202): follow it at ``status_url``."""

    operation_id: uuid.UUID
    task_id: uuid.UUID = Field(description="Same as operation_id (the original system's name)")
    state: OperationState
    status_url: str


def operation_view(operation: Operation) -> OperationView:
    return OperationView(
        id=operation.id, task_id=operation.id, account_id=operation.account_id,
        site_id=operation.site_id, kind=operation.kind, state=operation.state,
        phase=operation.phase, percent=operation.percent, message=operation.message,
        result=operation.result, error=operation.error, cost=operation.cost,
        is_final=operation.is_final, created_at=operation.created_at,
        updated_at=operation.updated_at,
        meta=OperationMeta(phase=operation.phase, percentage=operation.percent,
                           message=operation.message, cost=operation.cost))


# ------------------------------------------------------------------------------ AI settings


class AiSettingsView(View):
    """The account's AI provider (never the key: whether one is set and, to owners and admins,
    its last four characters). ``configured`` false: the platform default is used."""

    configured: bool
    kind: ProviderKind
    base_url: str | None
    model: str
    embedding_model: str
    image_model: str
    api_key_set: bool
    api_key_last4: str | None = Field(default=None,
                                      description="Present for owners and admins only")
    updated_at: datetime | None
    message: str | None = Field(default=None, description="Present when nothing is configured")


class AiConnectionReport(View):
    ok: bool
    outcome: Outcome
    message: str
    latency_ms: int | None
    model: str | None


class PromptVariables(View):
    required: list[str]
    optional: list[str]


class PromptView(View):
    """An AI prompt: the system default, the template the account uses, and its variables."""

    prompt_type: str
    template: str
    default_template: str
    is_overridden: bool
    variables: PromptVariables
    updated_at: datetime | None


def ai_settings_view(settings: AiSettings | None, actor: Actor) -> dict[str, Any]:
    """The view as JSON, without the fields this actor does not get (absent, not null)."""
    if settings is None:
        view = AiSettingsView(
            configured=False, kind="offline", base_url=None, model=DEFAULT_MODEL,
            embedding_model=DEFAULT_EMBEDDING_MODEL, image_model=DEFAULT_IMAGE_MODEL,
            api_key_set=False, updated_at=None,
            message="No provider configured: the platform default is used.")
    else:
        last4 = settings.api_key_last4 if can_manage_account(actor) else None
        view = AiSettingsView(
            configured=True, kind=settings.kind, base_url=settings.base_url,
            model=settings.model, embedding_model=settings.embedding_model,
            image_model=settings.image_model, api_key_set=settings.api_key_set,
            updated_at=settings.updated_at, **({"api_key_last4": last4} if last4 else {}))
    return view.model_dump(mode="json", exclude_unset=True)


def connection_report(report: ConnectionReport) -> AiConnectionReport:
    return AiConnectionReport(ok=report.ok, outcome=report.outcome, message=report.message,
                              latency_ms=report.latency_ms, model=report.model)


def prompt_view(prompt: AccountPrompt) -> PromptView:
    return PromptView(
        prompt_type=prompt.key, template=prompt.current, default_template=prompt.default.text,
        is_overridden=prompt.override is not None,
        variables=PromptVariables(required=sorted(prompt.default.required),
                                  optional=sorted(prompt.default.optional)),
        updated_at=prompt.updated_at)
