"""Credit accounts and the double-entry ledger (pure: no I/O).

Every transaction's entries sum to zero across the account's pools (``plan``, ``bonus``) and
system accounts (``system:grants``...). A balance is the sum of an account's entries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class Pool(StrEnum):
    PLAN = "plan"
    BONUS = "bonus"
    SYSTEM_GRANTS = "system:grants"
    SYSTEM_USAGE = "system:usage"
    SYSTEM_EXPIRY = "system:expiry"
    SYSTEM_ADJUSTMENTS = "system:adjustments"


CUSTOMER_POOLS = (Pool.PLAN, Pool.BONUS)


@dataclass(frozen=True)
class Plan:
    slug: str
    name: str
    monthly_credits: int
    max_sites: int
    max_users: int
    is_default: bool
    price_monthly: Decimal = Decimal("0")


@dataclass(frozen=True)
class Entry:
    pool: Pool
    amount: int


@dataclass(frozen=True)
class Transaction:
    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    reason: str
    idempotency_key: str
    entries: tuple[Entry, ...]
    created_by: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if sum(e.amount for e in self.entries) != 0:
            raise ValueError("a ledger transaction must balance to zero")
        if not self.entries:
            raise ValueError("a ledger transaction needs entries")


@dataclass
class CreditAccount:
    account_id: uuid.UUID
    plan_slug: str
    period_start: datetime
    period_end: datetime
    balances: dict[Pool, int] = field(default_factory=dict)

    @property
    def plan_credits(self) -> int:
        return self.balances.get(Pool.PLAN, 0)

    @property
    def bonus_credits(self) -> int:
        return self.balances.get(Pool.BONUS, 0)

    @property
    def total_credits(self) -> int:
        return self.plan_credits + self.bonus_credits


def add_month(moment: datetime) -> datetime:
    """Same day next month, clamped to the month's last day (Jan 31 → Feb 28/29)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def open_credit_account(
    account_id: uuid.UUID, plan: Plan, now: datetime
) -> tuple[CreditAccount, Transaction]:
    """A new account's first period, funded with its plan's monthly credits."""
    account = CreditAccount(account_id, plan.slug, now, add_month(now))
    grant = Transaction(
        id=uuid.uuid4(),
        account_id=account_id,
        kind="plan_grant",
        reason=f"{plan.name} plan credits for the period starting {now.date().isoformat()}",
        idempotency_key=f"plan_grant:{account_id}:{now.date().isoformat()}",
        entries=(
            Entry(Pool.PLAN, plan.monthly_credits),
            Entry(Pool.SYSTEM_GRANTS, -plan.monthly_credits),
        ),
    )
    account.balances[Pool.PLAN] = plan.monthly_credits
    return account, grant


__all__ = ["CUSTOMER_POOLS", "CreditAccount", "Entry", "Plan", "Pool", "Transaction",
           "add_month", "open_credit_account"]
