"""Billing's tables (schema ``billing``)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Uuid,
    func,
)

from igny8_runtime.db import service_metadata
from igny8_runtime.outbox import messaging_tables

metadata = service_metadata("billing")
outbox, inbox = messaging_tables(metadata)

plans = Table(
    "plans",
    metadata,
    Column("slug", String(50), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("monthly_credits", Integer, nullable=False),
    Column("price_monthly", Numeric(10, 2), nullable=False),
    Column("max_sites", Integer, nullable=False),
    Column("max_users", Integer, nullable=False),
    Column("is_default", Boolean, nullable=False, default=False),
    Column("is_active", Boolean, nullable=False, default=True),
)

credit_accounts = Table(
    "credit_accounts",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("plan_slug", String(50), ForeignKey("plans.slug"), nullable=False),
    Column("period_start", DateTime(timezone=True), nullable=False),
    Column("period_end", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

ledger_transactions = Table(
    "ledger_transactions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False, index=True),
    Column("kind", String(50), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("transaction_id", Uuid, ForeignKey("ledger_transactions.id"), nullable=False,
           index=True),
    Column("account_id", Uuid, nullable=False),
    Column("pool", String(50), nullable=False),
    Column("amount", BigInteger, nullable=False),
)
