"""Automation's own tables (schema ``automation``).

* ``configs``: a site's settings (JSON, the contract's ``AutomationSettings``) and when its
  schedule fires next; the schedule tick claims due rows with ``FOR UPDATE SKIP LOCKED`` and
  moves ``next_run_at`` on in the same transaction, so two replicas start one run per tick.
* ``runs``: a run with its stages' progress and the items it produced (JSON: a run holds at
  most a few hundred ids). At most one active run per site (a partial unique index).
* ``run_operations``: which run started which operation of an owner (its updates find the run).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from igny8_automation.adapters.orm import metadata

ACTIVE_STATUSES_SQL = "status IN ('pending', 'running', 'paused')"

configs = Table(
    "configs", metadata,
    Column("site_id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("settings", JSONB, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default=text("false")),
    Column("next_run_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_configs_due", "next_run_at", postgresql_where=text("is_active")),
    Index("ix_configs_account", "account_id"),
)

runs = Table(
    "runs", metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("site_id", Uuid, nullable=False),
    Column("status", String(20), nullable=False),
    Column("stage", String(20), nullable=False),
    Column("trigger", String(20), nullable=False),
    Column("started_by", Uuid),
    Column("settings", JSONB, nullable=False),
    Column("stages", JSONB, nullable=False),
    Column("items", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("pause_reason", String(20)),
    Column("pause_details", JSONB),
    Column("error", Text, nullable=False, server_default=""),
    Column("attempt", Integer, nullable=False, server_default=text("0")),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("deadline_at", DateTime(timezone=True)),
    Column("next_action_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("uq_runs_one_active_per_site", "site_id", unique=True,
          postgresql_where=text(ACTIVE_STATUSES_SQL)),
    Index("ix_runs_account_created", "account_id", "created_at"),
    Index("ix_runs_due", "next_action_at", postgresql_where=text("status = 'running'")),
)

run_operations = Table(
    "run_operations", metadata,
    Column("operation_id", Uuid, primary_key=True),
    Column("run_id", Uuid, ForeignKey("automation.runs.id", ondelete="CASCADE"), nullable=False),
    Column("account_id", Uuid, nullable=False),
    Column("stage", String(20), nullable=False),
    Index("ix_run_operations_run", "run_id"),
)
