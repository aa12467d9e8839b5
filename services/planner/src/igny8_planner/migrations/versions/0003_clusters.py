"""planner: clusters (a keyword's cluster_id refers to one; deleting a cluster unclusters)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clusters",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("sector_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("keyword_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("total_volume", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("average_difficulty", sa.Numeric(6, 2)),
        sa.Column("dominant_intent", sa.String(20)),
        sa.Column("method", sa.String(20), nullable=False, server_default="local"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_clusters"),
        schema="planner",
    )
    op.create_index("ix_clusters_account_sector", "clusters", ["account_id", "sector_id", "id"],
                    schema="planner")
    # Deleting a cluster returns its keywords to "unclustered" rather than deleting them.
    op.create_foreign_key("fk_keywords_cluster_id_clusters", "keywords", "clusters",
                          ["cluster_id"], ["id"], source_schema="planner",
                          referent_schema="planner", ondelete="SET NULL")


def downgrade() -> None:
    op.drop_constraint("fk_keywords_cluster_id_clusters", "keywords", schema="planner",
                       type_="foreignkey")
    op.drop_table("clusters", schema="planner")
