"""Helpers for the billing e2e tests: a developer user, the ledger invariants, and billing
reached over NATS as the AI-running services reach it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text


def make_developer(gw: Any, db: Any, owner: Any) -> Any:
    """A developer in ``owner``'s account (not assignable through the API: set in the DB)."""
    member = gw.add_member(owner, "viewer")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE gateway.users SET role = 'developer' WHERE id = :id"),
                     {"id": uuid.UUID(member.id)})
    return gw.login(member.email)


def assert_ledger_invariants(db: Any) -> None:
    with db.engine.connect() as conn:
        unbalanced = conn.execute(text(
            "SELECT transaction_id FROM billing.ledger_entries GROUP BY transaction_id "
            "HAVING sum(amount) <> 0")).all()
        negative = conn.execute(text(
            "SELECT account_id, pool FROM billing.ledger_entries WHERE pool IN ('plan','bonus')"
            " GROUP BY account_id, pool HAVING sum(amount) < 0")).all()
    assert unbalanced == [], "every ledger transaction must sum to zero"
    assert negative == [], "no customer pool may be negative"


def pool_sum(db: Any, account_id: str, pool: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT coalesce(sum(amount), 0) FROM billing.ledger_entries "
            "WHERE account_id = :a AND pool = :p"), {"a": uuid.UUID(account_id), "p": pool}
        ).scalar_one())
