import uuid
from datetime import UTC, datetime

import pytest

from igny8_billing.domain.holds import (
    Hold,
    HoldStatus,
    InsufficientCredits,
    SettlementRefused,
    check_capture,
    ensure_affordable,
)
from igny8_billing.domain.ledger import Overdraft, adjustment, period_reset, usage_debit
from igny8_billing.domain.model import CreditAccount, Plan, Pool
from igny8_billing.domain.pricing import Price, PriceTable, UnknownOperation

FREE = Plan("free", "Free", 100, 3, 5, True)
NOW = datetime(2026, 5, 1, tzinfo=UTC)


def account(plan: int, bonus: int) -> CreditAccount:
    return CreditAccount(uuid.uuid4(), "free", NOW, NOW, {Pool.PLAN: plan, Pool.BONUS: bonus})


@pytest.mark.parametrize(("operation", "quantity", "credits"), [
    ("clustering", 1, 10), ("clustering_local", 1, 0), ("ideas", 5, 15),
    ("content", 1, 1), ("content", 500, 1), ("content", 501, 2), ("content", 0, 0),
    ("image_prompt_extraction", 3, 2), ("image_basic", 2, 2), ("image_premium", 2, 8),
    ("linking", 1, 8), ("optimization", 450, 3),
])
def test_default_prices(operation: str, quantity: int, credits: int) -> None:
    assert PriceTable().cost(operation, quantity) == credits


def test_prices_are_configurable_and_unknown_operations_refused() -> None:
    table = PriceTable({"content": Price(2, per=100)})
    assert table.cost("content", 250) == 6
    with pytest.raises(UnknownOperation, match="teleport"):
        table.cost("teleport", 1)


def test_usage_spends_plan_credits_first_then_bonus() -> None:
    debit = usage_debit(account(plan=3, bonus=10), uuid.uuid4(), "content", 5)
    amounts = {e.pool: e.amount for e in debit.entries}
    assert amounts == {Pool.PLAN: -3, Pool.BONUS: -2, Pool.SYSTEM_USAGE: 5}
    with pytest.raises(Overdraft):
        usage_debit(account(plan=1, bonus=1), uuid.uuid4(), "content", 3)


def test_period_reset_expires_only_unheld_plan_credits() -> None:
    reset = period_reset(account(plan=50, bonus=7), FREE, 20, "renewal", NOW, "k")
    totals: dict[Pool, int] = {}
    for entry in reset.entries:
        totals[entry.pool] = totals.get(entry.pool, 0) + entry.amount
    assert totals == {Pool.PLAN: 70, Pool.SYSTEM_GRANTS: -100, Pool.SYSTEM_EXPIRY: 30}


def test_adjustment_cannot_overdraw_a_pool_or_the_held_credits() -> None:
    by = uuid.uuid4()
    granted = adjustment(account(0, 0), Pool.BONUS, 25, 0, "goodwill", "k", by)
    assert granted.created_by == by and sum(e.amount for e in granted.entries) == 0
    with pytest.raises(Overdraft):
        adjustment(account(10, 0), Pool.BONUS, -1, 0, "oops", "k", by)
    with pytest.raises(Overdraft):
        adjustment(account(10, 0), Pool.PLAN, -5, 8, "oops", "k", by)


def test_reservation_needs_unheld_credits() -> None:
    ensure_affordable(total_credits=10, held_credits=4, cost=6)
    with pytest.raises(InsufficientCredits) as refused:
        ensure_affordable(total_credits=10, held_credits=5, cost=6)
    assert (refused.value.available, refused.value.cost) == (5, 6)


def test_capture_above_the_hold_or_by_another_operation_is_refused() -> None:
    hold = Hold(uuid.uuid4(), uuid.uuid4(), "k", "content", 4, HoldStatus.OPEN, NOW)
    assert check_capture(hold, "op", 4) is True
    with pytest.raises(SettlementRefused, match="exceeds the hold"):
        check_capture(hold, "op", 5)
    hold.status, hold.operation_id = HoldStatus.CAPTURED, "op"
    assert check_capture(hold, "op", 4) is False
    with pytest.raises(SettlementRefused, match="already settled"):
        check_capture(hold, "other-op", 4)
