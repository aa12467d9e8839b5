"""The gateway's tables (schema ``gateway``): identity, tenancy and sign-in state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Uuid,
    func,
    text,
)

from igny8_runtime.db import service_metadata
from igny8_runtime.outbox import messaging_tables

metadata = service_metadata("gateway")
outbox, inbox = messaging_tables(metadata)


def _created_at() -> Column[datetime]:
    return Column("created_at", DateTime(timezone=True), nullable=False,
                  server_default=func.now())


accounts = Table(
    "accounts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("plan_slug", String(50), nullable=False),
    Column("max_sites", Integer, nullable=False),
    Column("max_users", Integer, nullable=False),
    Column("is_active", Boolean, nullable=False),
    _created_at(),
)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, ForeignKey("accounts.id"), nullable=False, index=True),
    # Stored normalized (lowercase); unique across every account: it is the sign-in name.
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(20), nullable=False),
    Column("first_name", String(150), nullable=False),
    Column("last_name", String(150), nullable=False),
    Column("is_active", Boolean, nullable=False),
    _created_at(),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

sites = Table(
    "sites",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("name", String(255), nullable=False),
    Column("domain", String(253), nullable=True),
    Column("is_active", Boolean, nullable=False),
    _created_at(),
)

sectors = Table(
    "sectors",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("site_id", Uuid, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("name", String(255), nullable=False),
    Column("is_active", Boolean, nullable=False),
    _created_at(),
)
Index(
    "uq_sectors_active_name_per_site",
    sectors.c.site_id,
    func.lower(sectors.c.name),
    unique=True,
    postgresql_where=text("is_active"),
)

site_access = Table(
    "site_access",
    metadata,
    Column("id", Uuid, nullable=False, unique=True),
    Column("account_id", Uuid, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("site_id", Uuid, ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    _created_at(),
    PrimaryKeyConstraint("site_id", "user_id"),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),  # the token's jti
    Column("family_id", Uuid, nullable=False, index=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("account_id", Uuid, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# In the database (not in memory) so that throttling holds across gateway replicas.
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_key_failed_at", "key", "failed_at"),
)
