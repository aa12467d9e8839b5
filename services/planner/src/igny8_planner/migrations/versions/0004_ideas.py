"""planner: content ideas (a deleted cluster leaves its ideas without a cluster)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ideas",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("sector_id", sa.Uuid(), nullable=False),
        sa.Column("cluster_id", sa.Uuid()),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("content_structure", sa.String(20), nullable=False),
        sa.Column("content_type", sa.String(20), nullable=False),
        sa.Column("target_keywords", postgresql.JSONB(), nullable=False,
                  server_default=sa.text("'[]'::jsonb")),
        sa.Column("estimated_word_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("status", sa.String(20), nullable=False, server_default="new"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_ideas"),
        sa.ForeignKeyConstraint(["cluster_id"], ["planner.clusters.id"],
                                name="fk_ideas_cluster_id_clusters", ondelete="SET NULL"),
        schema="planner",
    )
    op.create_index("ix_ideas_account_created", "ideas", ["account_id", "created_at", "id"],
                    schema="planner")
    op.create_index("ix_ideas_cluster", "ideas", ["cluster_id"], schema="planner",
                    postgresql_where=sa.text("cluster_id IS NOT NULL"))


def downgrade() -> None:
    op.drop_table("ideas", schema="planner")
