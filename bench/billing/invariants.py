"""The ledger checks printed after a billing benchmark run (plain SQL on billing's schema)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text

CHECKS: dict[str, str] = {
    "transactions that do not sum to zero":
        "SELECT count(*) FROM (SELECT transaction_id FROM billing.ledger_entries "
        "GROUP BY transaction_id HAVING sum(amount) <> 0) AS t",
    "negative customer pools":
        "SELECT count(*) FROM (SELECT account_id, pool FROM billing.ledger_entries "
        "WHERE pool IN ('plan', 'bonus') GROUP BY account_id, pool HAVING sum(amount) < 0) AS t",
    "accounts whose open holds exceed the balance":
        "SELECT count(*) FROM (SELECT h.account_id FROM billing.holds h WHERE h.status = 'open' "
        "GROUP BY h.account_id HAVING sum(h.credits_held) > (SELECT coalesce(sum(e.amount), 0) "
        "FROM billing.ledger_entries e WHERE e.account_id = h.account_id "
        "AND e.pool IN ('plan', 'bonus'))) AS t",
    "captured holds not debited exactly once":
        "SELECT count(*) FROM billing.holds h WHERE h.status = 'captured' "
        "AND h.credits_captured > 0 AND (SELECT count(*) FROM billing.ledger_transactions t "
        "WHERE t.idempotency_key = 'usage:' || h.id::text) <> 1",
}


def violations(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: int(conn.execute(text(sql)).scalar_one()) for name, sql in CHECKS.items()}


def settlement_counts(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT (SELECT count(*) FROM billing.ledger_transactions WHERE kind = 'usage'),"
            " (SELECT count(*) FROM billing.holds WHERE status = 'captured'),"
            " (SELECT count(*) FROM billing.holds WHERE status = 'open'),"
            " (SELECT coalesce(sum(amount), 0) FROM billing.ledger_entries"
            "  WHERE pool = 'system:usage'),"
            " (SELECT extract(epoch FROM max(recorded_at) - min(recorded_at))"
            "  FROM billing.usage_records)")).one()
    return {"usage_transactions": int(row[0]), "captured_holds": int(row[1]),
            "open_holds": int(row[2]), "credits_used": int(row[3]),
            "settle_span_s": float(row[4] or 0.0)}


def balances_match_entries(engine: Engine, answered: dict[str, int]) -> list[str]:
    """Accounts whose answered balance differs from the sum of their entries."""
    with engine.connect() as conn:
        sums = dict(conn.execute(text(
            "SELECT account_id::text, sum(amount) FROM billing.ledger_entries "
            "WHERE pool IN ('plan', 'bonus') GROUP BY account_id")).all())
    return [a for a, total in answered.items() if int(sums.get(a, 0)) != total]
