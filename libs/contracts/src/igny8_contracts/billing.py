"""Billing's queries and events, and the plan catalogue every service agrees on."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from igny8_contracts.messages import Event, Query, Request


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


class GetBalance(Query[Balance]):
    subject_base = "qry.billing.balance.get"
    account_id: uuid.UUID


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


# --------------------------------------------------------------------------- the credit ledger

PoolName = Literal["plan", "bonus"]


class BalanceDetails(BaseModel):
    """Reply of GetBalanceDetails: both pools, the credits held by open reservations, the
    period. ``available_credits`` = plan + bonus - held: what a new reservation may take."""

    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    plan_slug: str
    plan_credits: int
    bonus_credits: int
    total_credits: int
    held_credits: int
    open_holds: int
    available_credits: int
    period_start: datetime
    period_end: datetime


class GetBalanceDetails(Query[BalanceDetails]):
    subject_base = "qry.billing.balance.get"
    version = 2
    account_id: uuid.UUID


class Reservation(BaseModel):
    """Reply of ReserveCredits / ReleaseReservation."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    account_id: uuid.UUID
    reservation_key: str
    operation_type: str
    credits_held: int
    status: Literal["open", "captured", "released", "expired"]
    expires_at: datetime
    available_after: int


class ReserveCredits(Request[Reservation]):
    """Hold the most an AI operation may cost before it runs. The same ``reservation_key``
    answers the same reservation. Not enough credits: a failure with status 402 whose
    ``errors`` give ``available`` and ``cost``."""

    subject_base = "req.billing.credits.reserve"
    account_id: uuid.UUID
    reservation_key: str = Field(min_length=1, max_length=200)
    operation_type: str = Field(min_length=1, max_length=50)
    max_quantity: int | None = Field(default=None, ge=0)
    max_credits: int | None = Field(default=None, ge=1)
    ttl_seconds: int = Field(default=900, ge=1, le=86_400)

    @model_validator(mode="after")
    def _one_maximum(self) -> ReserveCredits:
        if (self.max_quantity is None) == (self.max_credits is None):
            raise ValueError("give exactly one of max_quantity and max_credits")
        return self


class ReleaseReservation(Request[Reservation]):
    """Give back a reservation's credits without using them (an operation that did not run)."""

    subject_base = "req.billing.credits.release"
    account_id: uuid.UUID
    reservation_key: str = Field(min_length=1, max_length=200)


class QuoteItem(BaseModel):
    """``quantity`` units of one operation type (``igny8_contracts.pricing``'s names), as a
    ReserveCredits would hold them."""

    model_config = ConfigDict(extra="forbid")

    operation_type: str = Field(min_length=1, max_length=50)
    quantity: int = Field(ge=0)


class CreditQuote(BaseModel):
    """Reply of QuoteCredits: what the items would hold in total, priced by billing's price
    table, and the credits a new reservation may take now (plan + bonus - held)."""

    model_config = ConfigDict(extra="forbid")

    credits: int
    available_credits: int
    enough: bool


class QuoteCredits(Query[CreditQuote]):
    """The most an operation may cost before it is started (nothing is held): the sum of
    its reservations' prices. An unknown operation type is a 400."""

    subject_base = "qry.billing.credits.quote"
    account_id: uuid.UUID
    items: list[QuoteItem] = Field(min_length=1, max_length=2000)


class LedgerTransactionView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    kind: str
    reason: str
    plan_delta: int
    bonus_delta: int
    created_by: uuid.UUID | None
    created_at: datetime


class TransactionPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int
    results: list[LedgerTransactionView]


class ListTransactions(Query[TransactionPage]):
    subject_base = "qry.billing.transactions.get"
    account_id: uuid.UUID
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=100)
    transaction_kind: str | None = Field(default=None, max_length=50)
    since: datetime | None = None
    until: datetime | None = None


class UsageByOperation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    operation_type: str
    operations: int
    quantity: int
    credits: int


class UsageByDay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date
    operation_type: str
    credits: int


class UsageReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    by_operation: list[UsageByOperation]
    by_day: list[UsageByDay]


class GetUsage(Query[UsageReport]):
    subject_base = "qry.billing.usage.get"
    account_id: uuid.UUID
    since: date | None = None
    until: date | None = None


class PlanList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plans: list[PlanLimits]


class ListPlans(Query[PlanList]):
    subject_base = "qry.billing.plans.get"


class ChangePlan(Request[BalanceDetails]):
    """The owner switches plan: it takes effect at once and starts a new period."""

    subject_base = "req.billing.plan.change"
    account_id: uuid.UUID
    plan_slug: str = Field(min_length=1, max_length=50)
    requested_by: uuid.UUID


class AdjustCredits(Request[LedgerTransactionView]):
    """A developer grants (positive) or takes back (negative) credits, with a reason."""

    subject_base = "req.billing.credits.adjust"
    account_id: uuid.UUID
    pool: PoolName
    amount: int
    reason: str = Field(min_length=3, max_length=400)
    requested_by: uuid.UUID
    idempotency_key: str = Field(min_length=1, max_length=100)

    @field_validator("amount")
    @classmethod
    def _not_zero(cls, amount: int) -> int:
        if amount == 0:
            raise ValueError("amount must not be zero")
        return amount


class CreditsDebited(Event):
    subject_base = "evt.billing.credits.debited"
    account_id: uuid.UUID
    operation_id: str
    operation_type: str
    credits: int
    plan_credits: int
    bonus_credits: int


class CreditsLow(Event):
    subject_base = "evt.billing.credits.low"
    account_id: uuid.UUID
    total_credits: int
    threshold: int


class CreditsExhausted(Event):
    subject_base = "evt.billing.credits.exhausted"
    account_id: uuid.UUID


class ReservationExpired(Event):
    subject_base = "evt.billing.reservation.expired"
    account_id: uuid.UUID
    reservation_id: uuid.UUID
    reservation_key: str
    credits_released: int


class PlanRenewed(Event):
    subject_base = "evt.billing.plan.renewed"
    account_id: uuid.UUID
    plan_slug: str
    credits: int
    period_start: datetime
    period_end: datetime


class CreditsAdjusted(Event):
    subject_base = "evt.billing.credits.adjusted"
    account_id: uuid.UUID
    pool: PoolName
    amount: int
    reason: str
    requested_by: uuid.UUID
