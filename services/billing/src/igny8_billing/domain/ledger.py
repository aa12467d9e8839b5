"""The balanced transactions the ledger records (pure): usage, renewal, plan change,
adjustment. Usage spends plan credits first, then bonus credits."""

from __future__ import annotations

import uuid
from datetime import datetime

from igny8_billing.domain.model import CreditAccount, Entry, Plan, Pool, Transaction


class Overdraft(ValueError):  # noqa: N818  (a noun: the overdraft refused)
    pass


def usage_debit(account: CreditAccount, hold_id: uuid.UUID, operation_type: str,
                credits: int) -> Transaction:
    """Move ``credits`` from plan (then bonus) to ``system:usage``."""
    if credits <= 0:
        raise ValueError("a usage debit needs a positive amount")
    if credits > account.total_credits:
        raise Overdraft(f"{credits} credits exceed the balance of {account.total_credits}")
    from_plan = min(credits, account.plan_credits)
    from_bonus = credits - from_plan
    entries = [Entry(Pool.SYSTEM_USAGE, credits)]
    if from_plan:
        entries.append(Entry(Pool.PLAN, -from_plan))
    if from_bonus:
        entries.append(Entry(Pool.BONUS, -from_bonus))
    return Transaction(uuid.uuid4(), account.account_id, "usage",
                       f"{operation_type}: {credits} credits", f"usage:{hold_id}",
                       tuple(entries))


def period_reset(account: CreditAccount, plan: Plan, held_credits: int, kind: str,
                 period_start: datetime, idempotency_key: str) -> Transaction:
    """Expire the unused plan credits and grant the plan's monthly credits.

    Credits held by open reservations are not expired: the operations holding them may still
    report their usage, and the balance must then cover it.
    """
    expired = max(0, account.plan_credits - held_credits)
    entries = [Entry(Pool.PLAN, plan.monthly_credits),
               Entry(Pool.SYSTEM_GRANTS, -plan.monthly_credits)]
    if expired:
        entries += [Entry(Pool.PLAN, -expired), Entry(Pool.SYSTEM_EXPIRY, expired)]
    reason = (f"{plan.name} plan: {plan.monthly_credits} credits for the period starting "
              f"{period_start.date().isoformat()}; {expired} unused plan credits expired")
    return Transaction(uuid.uuid4(), account.account_id, kind, reason, idempotency_key,
                       tuple(entries))


def adjustment(account: CreditAccount, pool: Pool, amount: int, held_credits: int,
               reason: str, idempotency_key: str, by: uuid.UUID) -> Transaction:
    """A developer's grant (positive) or correction (negative) of a customer pool."""
    if pool not in (Pool.PLAN, Pool.BONUS):
        raise ValueError("only customer pools can be adjusted")
    if amount == 0:
        raise ValueError("amount must not be zero")
    if account.balances.get(pool, 0) + amount < 0:
        raise Overdraft(f"the {pool.value} pool holds only {account.balances.get(pool, 0)}")
    if account.total_credits + amount < held_credits:
        raise Overdraft(f"{held_credits} credits are held by running operations")
    return Transaction(uuid.uuid4(), account.account_id, "adjustment", reason, idempotency_key,
                       (Entry(pool, amount), Entry(Pool.SYSTEM_ADJUSTMENTS, -amount)),
                       created_by=by)
