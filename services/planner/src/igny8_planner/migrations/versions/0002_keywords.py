"""planner: keywords

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "keywords",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("sector_id", sa.Uuid(), nullable=False),
        sa.Column("keyword", sa.String(255), nullable=False),
        sa.Column("normalized", sa.String(255), nullable=False),
        sa.Column("volume", sa.Integer()),
        sa.Column("difficulty", sa.Integer()),
        sa.Column("cpc", sa.Numeric(12, 2)),
        sa.Column("intent", sa.String(20)),
        sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
        sa.Column("cluster_id", sa.Uuid()),
        sa.Column("source", sa.String(20), nullable=False, server_default="manual"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_keywords"),
        sa.UniqueConstraint("sector_id", "normalized", name="uq_keywords_sector_id_normalized"),
        schema="planner",
    )
    # Keyset pagination: one index per ordering; unknown volume/difficulty sort as -1.
    indexes: list[tuple[str, list[str | sa.TextClause]]] = [
        ("ix_keywords_account_created", ["account_id", "created_at", "id"]),
        ("ix_keywords_account_normalized", ["account_id", "normalized", "id"]),
        ("ix_keywords_account_volume", ["account_id", sa.text("coalesce(volume, -1)"), "id"]),
        ("ix_keywords_account_difficulty", ["account_id", sa.text("coalesce(difficulty, -1)"), "id"]),
    ]
    for name, columns in indexes:
        op.create_index(name, "keywords", columns, schema="planner")
    op.create_index("ix_keywords_cluster", "keywords", ["cluster_id"], schema="planner",
                    postgresql_where=sa.text("cluster_id IS NOT NULL"))


def downgrade() -> None:
    op.drop_table("keywords", schema="planner")
