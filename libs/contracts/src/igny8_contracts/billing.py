"""Billing's queries and events, and the plan catalogue every service agrees on."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from igny8_contracts.messages import Event, Query


class PlanLimits(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str
    name: str
    monthly_credits: int
    price_monthly: Decimal
    max_sites: int
    max_users: int
    is_default: bool = False


# The seeded plans (original system: a default plan every new account gets, plus paid tiers).
# Billing owns plans (its table is seeded from this); the gateway uses the default plan's
# limits for a new account until billing tells it otherwise (AccountPlanChanged).
PLAN_CATALOGUE: tuple[PlanLimits, ...] = (
    PlanLimits(slug="free", name="Free", monthly_credits=100, price_monthly=Decimal("0"),
               max_sites=3, max_users=5, is_default=True),
    PlanLimits(slug="starter", name="Starter", monthly_credits=1000,
               price_monthly=Decimal("100"), max_sites=5, max_users=10),
    PlanLimits(slug="growth", name="Growth", monthly_credits=2000,
               price_monthly=Decimal("200"), max_sites=10, max_users=25),
    PlanLimits(slug="scale", name="Scale", monthly_credits=5000,
               price_monthly=Decimal("500"), max_sites=25, max_users=50),
)


def default_plan() -> PlanLimits:
    return next(p for p in PLAN_CATALOGUE if p.is_default)


def plan_by_slug(slug: str) -> PlanLimits | None:
    return next((p for p in PLAN_CATALOGUE if p.slug == slug), None)


class Balance(BaseModel):
    """Reply data of GetBalance."""

    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    plan_slug: str
    plan_credits: int
    bonus_credits: int
    total_credits: int
    period_start: datetime
    period_end: datetime


class GetBalance(Query):
    subject_base = "qry.billing.balance.get"
    account_id: uuid.UUID
    reply = Balance


class CreditBalanceOpened(Event):
    subject_base = "evt.billing.balance.opened"
    account_id: uuid.UUID
    plan_slug: str
    credits: int
    period_start: datetime
    period_end: datetime


class AccountPlanChanged(Event):
    subject_base = "evt.billing.plan.changed"
    account_id: uuid.UUID
    plan_slug: str
    max_sites: int
    max_users: int
