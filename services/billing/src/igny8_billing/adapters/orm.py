"""Billing's tables (schema ``billing``)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    func,
    text,
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
    Column("created_by", Uuid, nullable=True),  # the developer who adjusted credits (audit)
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
    Index("ix_ledger_entries_account_pool", "account_id", "pool"),
)

# Credits set aside for an AI operation until it reports its usage (or the hold expires).
holds = Table(
    "holds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("reservation_key", String(200), nullable=False),
    Column("operation_type", String(50), nullable=False),
    Column("credits_held", BigInteger, nullable=False),
    Column("credits_captured", BigInteger, nullable=True),
    Column("status", String(20), nullable=False),
    Column("operation_id", String(200), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("settled_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("account_id", "reservation_key"),
    Index("ix_holds_account_status", "account_id", "status"),
    Index("ix_holds_open_expiry", "expires_at", postgresql_where=text("status = 'open'")),
)

usage_records = Table(
    "usage_records",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("account_id", Uuid, nullable=False),
    Column("hold_id", Uuid, ForeignKey("holds.id"), nullable=False, unique=True),
    Column("operation_id", String(200), nullable=False),
    Column("operation_type", String(50), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("credits", BigInteger, nullable=False),
    Column("provider", String(100), nullable=False),
    Column("model", String(100), nullable=False),
    Column("prompt_tokens", BigInteger, nullable=False),
    Column("completion_tokens", BigInteger, nullable=False),
    Column("cost_usd", Numeric(14, 6), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_usage_records_account_time", "account_id", "recorded_at"),
)
