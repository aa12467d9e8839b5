"""automation: outbox and inbox, site settings, runs and the operations they started

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from igny8_runtime.migrations import create_messaging_tables_v1

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "automation"
ACTIVE = "status IN ('pending', 'running', 'paused')"


def upgrade() -> None:
    create_messaging_tables_v1(SCHEMA)
    op.create_table(
        "configs",
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.PrimaryKeyConstraint("site_id", name="pk_configs"),
        schema=SCHEMA,
    )
    op.create_index("ix_configs_due", "configs", ["next_run_at"], schema=SCHEMA,
                    postgresql_where=sa.text("is_active"))
    op.create_index("ix_configs_account", "configs", ["account_id"], schema=SCHEMA)
    op.create_table(
        "runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("started_by", sa.Uuid(), nullable=True),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("stages", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("items", postgresql.JSONB(astext_type=sa.Text()),
                  server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("pause_reason", sa.String(length=20), nullable=True),
        sa.Column("pause_details", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("error", sa.Text(), server_default="", nullable=False),
        sa.Column("attempt", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_action_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
        schema=SCHEMA,
    )
    op.create_index("uq_runs_one_active_per_site", "runs", ["site_id"], unique=True,
                    schema=SCHEMA, postgresql_where=sa.text(ACTIVE))
    op.create_index("ix_runs_account_created", "runs", ["account_id", "created_at"],
                    schema=SCHEMA)
    op.create_index("ix_runs_due", "runs", ["next_action_at"], schema=SCHEMA,
                    postgresql_where=sa.text("status = 'running'"))
    op.create_table(
        "run_operations",
        sa.Column("operation_id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["automation.runs.id"], ondelete="CASCADE",
                                name="fk_run_operations_run_id_runs"),
        sa.PrimaryKeyConstraint("operation_id", name="pk_run_operations"),
        schema=SCHEMA,
    )
    op.create_index("ix_run_operations_run", "run_operations", ["run_id"], schema=SCHEMA)


def downgrade() -> None:
    for table in ("run_operations", "runs", "configs", "inbox", "outbox"):
        op.drop_table(table, schema=SCHEMA)
