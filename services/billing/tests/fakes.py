"""Billing's unit of work in memory, for fast tests of the service layer (no PostgreSQL).

The fake repositories keep their rows in one ``FakeLedger`` (what billing's schema would hold),
shared by every unit of work a test opens, and implement what the handlers under test use.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from igny8_billing.adapters.holds_repository import HoldRepository
from igny8_billing.adapters.repository import BillingRepository
from igny8_billing.domain.holds import Hold, HoldStatus
from igny8_billing.domain.model import CUSTOMER_POOLS, CreditAccount, Plan, Transaction
from igny8_billing.service_layer.uow import BillingUnitOfWork
from igny8_devtools.fake_uow import FakeUnitOfWork

PLANS = (
    Plan("free", "Free", 100, max_sites=1, max_users=1, is_default=True),
    Plan("starter", "Starter", 1000, max_sites=3, max_users=3, is_default=False,
         price_monthly=Decimal(100)),
)


@dataclasses.dataclass
class FakeLedger:
    plans: dict[str, Plan] = dataclasses.field(
        default_factory=lambda: {plan.slug: plan for plan in PLANS})
    # account id -> (plan slug, period start, period end)
    accounts: dict[uuid.UUID, tuple[str, datetime, datetime]] = dataclasses.field(
        default_factory=dict)
    transactions: list[Transaction] = dataclasses.field(default_factory=list)
    holds: dict[uuid.UUID, Hold] = dataclasses.field(default_factory=dict)
    usage: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def balance(self, account_id: uuid.UUID) -> dict[Any, int]:
        sums = dict.fromkeys(CUSTOMER_POOLS, 0)
        for transaction in self.transactions:
            if transaction.account_id == account_id:
                for entry in transaction.entries:
                    if entry.pool in sums:
                        sums[entry.pool] += entry.amount
        return sums

    def transactions_of(self, account_id: uuid.UUID, kind: str) -> list[Transaction]:
        return [t for t in self.transactions if t.account_id == account_id and t.kind == kind]


class FakeBillingRepository(BillingRepository):
    def __init__(self, ledger: FakeLedger) -> None:
        self.ledger = ledger

    async def plan(self, slug: str) -> Plan | None:
        return self.ledger.plans.get(slug)

    async def add_account(self, account: CreditAccount) -> bool:
        if account.account_id in self.ledger.accounts:
            return False
        self.ledger.accounts[account.account_id] = (account.plan_slug, account.period_start,
                                                    account.period_end)
        return True

    async def record(self, transaction: Transaction) -> None:
        if await self.transaction_exists(transaction.idempotency_key):
            raise ValueError(f"duplicate idempotency key {transaction.idempotency_key!r}")
        self.ledger.transactions.append(transaction)

    async def account(self, account_id: uuid.UUID, *, lock: bool = False) -> CreditAccount | None:
        found = self.ledger.accounts.get(account_id)
        if found is None:
            return None
        plan_slug, start, end = found
        return CreditAccount(account_id, plan_slug, start, end, self.ledger.balance(account_id))

    async def held_credits(self, account_id: uuid.UUID) -> tuple[int, int]:
        open_holds = [h for h in self.ledger.holds.values()
                      if h.account_id == account_id and h.status is HoldStatus.OPEN]
        return sum(h.credits_held for h in open_holds), len(open_holds)

    async def account_with_holds(
        self, account_id: uuid.UUID
    ) -> tuple[CreditAccount, int, int] | None:
        account = await self.account(account_id)
        if account is None:
            return None
        held, open_holds = await self.held_credits(account_id)
        return account, held, open_holds

    async def transaction_exists(self, idempotency_key: str) -> bool:
        return any(t.idempotency_key == idempotency_key for t in self.ledger.transactions)

    async def start_period(self, account_id: uuid.UUID, plan_slug: str, start: datetime,
                           end: datetime) -> None:
        self.ledger.accounts[account_id] = (plan_slug, start, end)

    async def active_plans(self) -> list[Plan]:
        return sorted(self.ledger.plans.values(), key=lambda plan: plan.price_monthly)


class FakeHoldRepository(HoldRepository):
    def __init__(self, ledger: FakeLedger) -> None:
        self.ledger = ledger

    async def by_key(self, account_id: uuid.UUID, reservation_key: str, *,
                     lock: bool = False) -> Hold | None:
        found = next((h for h in self.ledger.holds.values()
                      if h.account_id == account_id and h.reservation_key == reservation_key),
                     None)
        return dataclasses.replace(found) if found is not None else None

    async def add(self, hold: Hold) -> None:
        if await self.by_key(hold.account_id, hold.reservation_key) is not None:
            raise ValueError(f"duplicate reservation key {hold.reservation_key!r}")
        self.ledger.holds[hold.id] = dataclasses.replace(hold)

    async def settle(self, hold: Hold, status: HoldStatus, now: datetime, *,
                     operation_id: str | None = None, captured: int | None = None) -> None:
        hold.status, hold.operation_id, hold.credits_captured = status, operation_id, captured
        self.ledger.holds[hold.id] = dataclasses.replace(hold)

    async def overdue(self, now: datetime, limit: int) -> list[Hold]:
        due = [h for h in self.ledger.holds.values()
               if h.status is HoldStatus.OPEN and h.expires_at <= now]
        return [dataclasses.replace(h) for h in sorted(due, key=lambda h: h.expires_at)[:limit]]

    async def record_usage(self, hold: Hold, credits: int, usage: dict[str, Any]) -> None:
        self.ledger.usage.append({"hold_id": hold.id, "credits": credits, **usage})


class FakeBillingUnitOfWork(FakeUnitOfWork, BillingUnitOfWork):
    def __init__(self, ledger: FakeLedger | None = None) -> None:
        super().__init__("billing")
        self.ledger = ledger or FakeLedger()
        self.billing = FakeBillingRepository(self.ledger)
        self.holds = FakeHoldRepository(self.ledger)
