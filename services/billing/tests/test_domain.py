import uuid
from datetime import UTC, datetime

import pytest

from igny8_billing.domain.model import (
    Entry,
    Plan,
    Pool,
    Transaction,
    add_month,
    open_credit_account,
)

FREE = Plan("free", "Free", 100, 3, 5, True)


def test_opening_grants_plan_credits_in_a_balanced_transaction() -> None:
    now = datetime(2026, 1, 31, 12, tzinfo=UTC)
    account, grant = open_credit_account(uuid.uuid4(), FREE, now)
    assert account.plan_credits == 100 and account.bonus_credits == 0
    assert sum(e.amount for e in grant.entries) == 0
    assert {e.pool for e in grant.entries} == {Pool.PLAN, Pool.SYSTEM_GRANTS}
    assert account.period_end == datetime(2026, 2, 28, 12, tzinfo=UTC)


def test_unbalanced_transaction_is_refused() -> None:
    with pytest.raises(ValueError, match="balance"):
        Transaction(uuid.uuid4(), uuid.uuid4(), "x", "x", "k", (Entry(Pool.PLAN, 5),))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime(2026, 12, 15, tzinfo=UTC), datetime(2027, 1, 15, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), datetime(2026, 4, 30, tzinfo=UTC)),
    ],
)
def test_add_month_clamps_to_month_end(start: datetime, end: datetime) -> None:
    assert add_month(start) == end
